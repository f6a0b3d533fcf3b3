# peersession: group names. compadd quotes each one for where it goes (after
# an open quote or with backslashes) and matches it against the prefix as the
# shell reads it, so names with spaces, quotes or any script complete.
# The data folder is the one named on the line (--data-dir DIR or
# --data-dir=DIR, the last one wins; else PEERSESSION_DATA_DIR=DIR before the
# command), else PEERSESSION_DATA_DIR or the default.
_peersession_groups() {
  local -a line options names
  local cmd=peersession first=1 i
  line=(${(z)LBUFFER})
  [[ $LBUFFER == *[[:blank:]] ]] && line+=('')  # the word being typed, still empty
  # PEERSESSION_DATA_DIR=DIR typed before the command (bash does not show it).
  while [[ ${line[first]} =~ '^[A-Za-z_][A-Za-z0-9_]*=' ]]; do
    if [[ ${line[first]} == PEERSESSION_DATA_DIR=* ]]; then
      local -x PEERSESSION_DATA_DIR=${(Q)${line[first]#*=}}
    fi
    (( first++ ))
  done
  for ((i = first + 1; i < $#line; i++)); do
    case ${line[i]} in
      --data-dir) (( i + 1 < $#line )) && options=(--data-dir "${(Q)line[i+1]}") ;;
      --data-dir=*) options=(--data-dir "${(Q)${line[i]#--data-dir=}}") ;;
    esac
  done
  # Typed as a path (.venv/bin/peersession): ask that one.
  [[ ${(Q)line[first]} == */* && -x ${(Q)line[first]} ]] && cmd=${(Q)line[first]}
  names=(${(f)"$($cmd $options group list --names 2>/dev/null)"})
  # Any case, as peersession finds a group by its name in any case.
  compadd -M 'm:{[:lower:]}={[:upper:]}' -a names
}
