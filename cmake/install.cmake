# `cmake --install build --prefix P` puts the client library where other projects find it:
# the static libraries of the client layers, their public headers, a CMake package
# (find_package(bedrock_content) -> bedrock::client) and the two programs. The emulator and
# the CLI's code are not libraries for others: only their executables are installed.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(BEDROCK_INSTALLED_LAYERS core http config auth credentials models runtime content)
set(BEDROCK_PACKAGE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/bedrock_content)

# One target for "the client": BedrockClient and everything it is built from.
add_library(bedrock_client INTERFACE)
target_link_libraries(bedrock_client INTERFACE bedrock_runtime)
set_target_properties(bedrock_client PROPERTIES EXPORT_NAME client)
add_library(bedrock::client ALIAS bedrock_client)

set(installed_targets bedrock_client)
foreach(layer IN LISTS BEDROCK_INSTALLED_LAYERS)
  set_target_properties(bedrock_${layer} PROPERTIES EXPORT_NAME ${layer})
  add_library(bedrock::${layer} ALIAS bedrock_${layer})
  list(APPEND installed_targets bedrock_${layer})
  install(DIRECTORY ${CMAKE_SOURCE_DIR}/include/bedrock/${layer}
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/bedrock)
endforeach()

install(TARGETS ${installed_targets} EXPORT bedrock_contentTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(EXPORT bedrock_contentTargets NAMESPACE bedrock:: DESTINATION ${BEDROCK_PACKAGE_DIR})

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/bedrock_contentConfig.cmake.in
  ${CMAKE_BINARY_DIR}/bedrock_contentConfig.cmake INSTALL_DESTINATION ${BEDROCK_PACKAGE_DIR})
# Before 1.0 a minor release may change the API, so only the same minor version matches.
write_basic_package_version_file(${CMAKE_BINARY_DIR}/bedrock_contentConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/bedrock_contentConfig.cmake
              ${CMAKE_BINARY_DIR}/bedrock_contentConfigVersion.cmake
        DESTINATION ${BEDROCK_PACKAGE_DIR})

foreach(app bedrock-content bedrock-emulator)
  if(TARGET ${app})
    install(TARGETS ${app} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
endforeach()
