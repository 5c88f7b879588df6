// The entry point of the gh_lint tests (Catch2 provides main).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
