# The page's files (assets/) compiled into bedrock_server as byte arrays by embed_assets.py, so
# the server serves them from its binary with no files beside it. Re-run when an asset changes.
find_package(Python3 COMPONENTS Interpreter REQUIRED)
set(page_dir ${CMAKE_CURRENT_LIST_DIR})
file(GLOB_RECURSE page_assets CONFIGURE_DEPENDS RELATIVE ${page_dir}/assets ${page_dir}/assets/*)
list(TRANSFORM page_assets PREPEND ${page_dir}/assets/ OUTPUT_VARIABLE page_asset_paths)
set(page_generated ${CMAKE_CURRENT_BINARY_DIR}/page_assets.cpp)
add_custom_command(
  OUTPUT ${page_generated}
  COMMAND ${Python3_EXECUTABLE} ${page_dir}/embed_assets.py ${page_generated} ${page_dir}/assets
          ${page_assets}
  DEPENDS ${page_dir}/embed_assets.py ${page_asset_paths}
  COMMENT "Embedding the web page's assets"
  VERBATIM)
target_sources(bedrock_server PRIVATE ${page_generated})
