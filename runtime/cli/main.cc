// gatehouse: access-as-code for AWS IAM Identity Center.
#include <CLI/CLI.hpp>

#include <iostream>

#include "runtime/cli/common.h"
#ifdef GATEHOUSE_HAVE_AWS
#include "runtime/aws/aws_target.h"
#endif
#ifdef GATEHOUSE_HAVE_SCIM
#include "runtime/scim/scim_open.h"
#endif

int main(int argc, char** argv) {
  using namespace gatehouse::cli;
  CLI::App app{"gatehouse: access-as-code for AWS IAM Identity Center"};
  app.set_version_flag("--version", std::string("gatehouse ") + GATEHOUSE_VERSION);
  app.require_subcommand(1);
  Common common;
#ifdef GATEHOUSE_HAVE_AWS
  common.aws_factory = [](const gatehouse::TargetSpec& spec, std::string* err) {
    return gatehouse::aws::MakeAwsTarget(spec, gatehouse::aws::Environment::Process(), err);
  };
#endif
#ifdef GATEHOUSE_HAVE_SCIM
  // With users_and_groups.scim, the target is the main one paired with SCIM.
  common.aws_factory = [aws_only = common.aws_factory](const gatehouse::TargetSpec& spec, std::string* err) {
    if (spec.scim_url.empty()) return aws_only(spec, err);
    return gatehouse::scim::OpenTargetWithScim(spec, aws_only, gatehouse::aws::Environment::Process(), err);
  };
#endif
  int rc = kOk;
  RegisterValidate(app, &common, &rc);
  RegisterLint(app, &common, &rc);
  RegisterPlan(app, &common, &rc);
  RegisterApply(app, &common, &rc);
  RegisterDrift(app, &common, &rc);
  RegisterImport(app, &common, &rc);
  RegisterAccess(app, &common, &rc);
  RegisterSchema(app, &common, &rc);
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
