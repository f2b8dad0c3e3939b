#include "cli/app.h"

int main(int argc, char** argv) { return bedrock::cli::run(argc, argv); }
