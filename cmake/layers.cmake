# The include rule of docs/architecture.md, enforced by the build.
#
# Each library gets its own include root in the build tree holding symlinks to
# only its own sources (build/include/<lib>/compiler/lint -> compiler/lint), as
# its only include directory, exposed PUBLIC. A library sees its own headers and
# those of the libraries it links, nothing else: `#include "runtime/..."` from
# compiler/ or views/ does not compile. No library adds the source root.

set(GH_INCLUDE_ROOT ${CMAKE_BINARY_DIR}/include)

# gh_layer(TARGET PATH...): TARGET's include root holds PATH, each a folder or a
# glob of headers relative to the source root (compiler/*.h: the folder's own
# headers, without its subfolders, which are other libraries).
function(gh_layer target)
  set(root ${GH_INCLUDE_ROOT}/${target})
  file(REMOVE_RECURSE ${root})
  foreach(rel ${ARGN})
    if(IS_DIRECTORY ${GATEHOUSE_SOURCE_DIR}/${rel})
      get_filename_component(parent ${root}/${rel} DIRECTORY)
      file(MAKE_DIRECTORY ${parent})
      file(CREATE_LINK ${GATEHOUSE_SOURCE_DIR}/${rel} ${root}/${rel} SYMBOLIC)
    else()
      file(GLOB headers CONFIGURE_DEPENDS RELATIVE ${GATEHOUSE_SOURCE_DIR} ${GATEHOUSE_SOURCE_DIR}/${rel})
      foreach(h ${headers})
        get_filename_component(parent ${root}/${h} DIRECTORY)
        file(MAKE_DIRECTORY ${parent})
        file(CREATE_LINK ${GATEHOUSE_SOURCE_DIR}/${h} ${root}/${h} SYMBOLIC)
      endforeach()
    endif()
  endforeach()
  set_property(TARGET ${target} PROPERTY INCLUDE_DIRECTORIES ${root})
  set_property(TARGET ${target} PROPERTY INTERFACE_INCLUDE_DIRECTORIES ${root})
endfunction()

# Every library's layer. A library's own CMakeLists says what it links (which
# layers it may use); this table says what it is.
function(gh_enforce_layers)
  gh_layer(gh_compiler "compiler/*.h")
  gh_layer(gh_iam compiler/iam)
  gh_layer(gh_lint compiler/lint)
  gh_layer(gh_target runtime/target.h runtime/event_lookup.h)
  gh_layer(gh_runtime "runtime/*.h")
  gh_layer(gh_net runtime/net)
  gh_layer(gh_local runtime/local)
  gh_layer(gh_aws runtime/aws)
  gh_layer(gh_scim runtime/scim)
  gh_layer(gh_evidence runtime/evidence)
  gh_layer(gh_targets runtime/targets.h)
  gh_layer(gh_operations operations)
  gh_layer(gh_views views)
  gh_layer(gatehouse cli)
  # Tests may include any layer, and their own helpers (tests/unit/temp_dir.h).
  foreach(t gatehouse_tests gh_lint_tests gh_iam_tests gh_aws_unit_tests gh_aws_driver gh_scim_unit_tests)
    if(TARGET ${t})
      target_include_directories(${t} PRIVATE ${GATEHOUSE_SOURCE_DIR})
    endif()
  endforeach()
endfunction()
