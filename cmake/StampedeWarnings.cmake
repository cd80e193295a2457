# stampede_warnings(target): our warning set, on our targets only.
function(stampede_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
    -Wimplicit-fallthrough)
  if(STAMPEDE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
