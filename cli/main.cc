// gatehouse: access-as-code for AWS IAM Identity Center.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/common.h"

int main(int argc, char** argv) {
  using namespace gatehouse::cli;
  CLI::App app{"gatehouse: access-as-code for AWS IAM Identity Center"};
  app.set_version_flag("--version", std::string("gatehouse ") + GATEHOUSE_VERSION);
  app.require_subcommand(1);
  Options options;
  int rc = kOk;
  RegisterValidate(app, &options.validate, &rc);
  RegisterLint(app, &options.lint, &rc);
  RegisterPlan(app, &options.plan, &rc);
  RegisterApply(app, &options.apply, &rc);
  RegisterDrift(app, &options.drift, &rc);
  RegisterImport(app, &options.import, &rc);
  RegisterAccess(app, &options.access, &rc);
  RegisterWhoCan(app, &options.who_can, &rc);
  RegisterReview(app, &options.review, &rc);
  RegisterSchema(app, &options.schema, &rc);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "error: " << e.what() << "\nhelp: run 'gatehouse --help' for usage\n";
    return kError;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return kError;
  }
  return rc;
}
