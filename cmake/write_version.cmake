# Run at every build (not at configure time): writes the version TU with the commit checked out
# now, marked "-dirty" when tracked files differ from it. The file is rewritten only when its text
# changes, so an unchanged tree relinks nothing.
# Inputs: SOURCE_DIR, OUTPUT, TEMPLATE, PROJECT_VERSION, GIT_EXECUTABLE (may be empty).
set(GOVSIM_GIT_COMMIT "unknown")
if(GIT_EXECUTABLE AND EXISTS "${SOURCE_DIR}/.git")
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --short=12 HEAD
    WORKING_DIRECTORY ${SOURCE_DIR} OUTPUT_VARIABLE commit
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE failed)
  if(NOT failed AND commit)
    set(GOVSIM_GIT_COMMIT "${commit}")
    execute_process(COMMAND ${GIT_EXECUTABLE} status --porcelain --untracked-files=no
      WORKING_DIRECTORY ${SOURCE_DIR} OUTPUT_VARIABLE changes ERROR_QUIET)
    if(changes)
      string(APPEND GOVSIM_GIT_COMMIT "-dirty")
    endif()
  endif()
endif()
configure_file(${TEMPLATE} ${OUTPUT} @ONLY)
