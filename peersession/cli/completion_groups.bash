# peersession: group names, completed as the shell will read them back.
#
# A name may hold spaces, quotes and any script ("Thursday Circle", "O'Neil",
# "Zoë: Team A"). bash hands a completion function the words split at its
# COMP_WORDBREAKS too (: = ' " ...), still quoted as typed, and replaces only
# the part after readline's own word break. So the line is split again here at
# unquoted blanks only, the word being completed is read as the shell reads
# it, and each name is answered quoted for the place it goes: after an open
# quote, inside that quote (readline closes it); otherwise with backslashes.

# The words of the line up to the cursor, as typed: _peersession_words.
_peersession_split_line() {
  local line=${COMP_LINE:0:COMP_POINT} word= quote= started= c i
  _peersession_words=()
  for ((i = 0; i < ${#line}; i++)); do
    c=${line:i:1}
    if [[ -n $quote ]]; then
      word+=$c
      if [[ $c == "$quote" ]]; then
        quote=
      elif [[ $c == '\' && $quote == '"' ]]; then
        ((++i))
        word+=${line:i:1}
      fi
    elif [[ $c == [[:blank:]] ]]; then
      [[ -n $started ]] && _peersession_words+=("$word")
      word= started=
    else
      word+=$c
      started=1
      if [[ $c == '\' ]]; then
        ((++i))
        word+=${line:i:1}
      elif [[ $c == [\'\"] ]]; then
        quote=$c
      fi
    fi
  done
  _peersession_words+=("$word")
}

# Read a word as the shell will. Sets _peersession_value (what it means),
# _peersession_quote (the quote left open at its end, if any) and
# _peersession_kept (how much of the value comes before the part readline
# replaces: up to the open quote, or to the last word-break character).
_peersession_read_word() {
  local word=$1 breaks=${COMP_WORDBREAKS-$' \t\n"\'><=;|&(:'} c i
  local quote= value= kept=0 opened=0
  for ((i = 0; i < ${#word}; i++)); do
    c=${word:i:1}
    if [[ $quote == "'" ]]; then
      if [[ $c == "'" ]]; then quote=; else value+=$c; fi
    elif [[ $quote == '"' ]]; then
      if [[ $c == '"' ]]; then
        quote=
      elif [[ $c == '\' && ${word:i+1:1} == [\$\`\"\\] ]]; then
        ((++i))
        value+=${word:i:1}
      else
        value+=$c
      fi
    elif [[ $c == [\'\"] ]]; then
      quote=$c
      opened=${#value}
    elif [[ $c == '\' ]]; then
      ((++i))
      value+=${word:i:1}
    else
      value+=$c
      [[ $breaks == *"$c"* ]] && kept=${#value}
    fi
  done
  [[ -n $quote ]] && kept=$opened
  _peersession_value=$value _peersession_quote=$quote _peersession_kept=$kept
}

# Print $2 quoted to follow an open quote $1 ('', ' or ").
_peersession_quoted() {
  local quote=$1 text=$2 out= c i
  if [[ $quote == "'" ]]; then
    out=${text//\'/\'\\\'\'}
  else
    for ((i = 0; i < ${#text}; i++)); do
      c=${text:i:1}
      if [[ $quote == '"' ]]; then
        case $c in
          [\$\`\"\\]) out+="\\$c" ;;
          !) out+='"\!"' ;;  # history expansion: step out of the quotes for it
          *) out+=$c ;;
        esac
      elif [[ $c == [[:ascii:]] && $c != [[:alnum:]_./+-] ]]; then
        out+="\\$c"
      else
        out+=$c
      fi
    done
  fi
  printf '%s\n' "$out"
}

# The group names that complete $1 (the word as typed), one a line, quoted.
# Asks the data folder named on the line (--data-dir DIR or --data-dir=DIR,
# the last one wins, as on the command line), else PEERSESSION_DATA_DIR or the
# default one.
_peersession_groups() {
  local -a words options=()
  local cmd=peersession name i word
  if [[ ${_peersession_words+set} ]]; then
    words=("${_peersession_words[@]}")
  else
    words=("${COMP_WORDS[@]:0:COMP_CWORD+1}")
  fi
  for ((i = 1; i < ${#words[@]} - 1; i++)); do
    word=${words[i]}
    if [[ $word == --data-dir && $((i + 1)) -lt $((${#words[@]} - 1)) ]]; then
      _peersession_read_word "${words[i + 1]}"
      options=(--data-dir "$_peersession_value")
    elif [[ $word == --data-dir=* ]]; then
      _peersession_read_word "${word#--data-dir=}"
      options=(--data-dir "$_peersession_value")
    fi
  done
  # Typed as a path (.venv/bin/peersession): ask that one.
  _peersession_read_word "${words[0]}"
  [[ $_peersession_value == */* && -x $_peersession_value ]] && cmd=$_peersession_value
  _peersession_read_word "$1"
  local typed=${_peersession_value,,} quote=$_peersession_quote kept=$_peersession_kept
  # Any case, as peersession finds a group by its name in any case.
  while IFS= read -r name; do
    [[ -n $name && ${name,,} == "$typed"* ]] && _peersession_quoted "$quote" "${name:kept}"
  done < <("$cmd" "${options[@]}" group list --names 2>/dev/null)
}

# What bash calls: the line re-split at unquoted blanks, --option=value given
# to shtab's parser as two words (as argparse reads it), then that parser.
_peersession_complete() {
  local -a _peersession_words COMP_WORDS
  local COMP_CWORD word
  _peersession_split_line
  for word in "${_peersession_words[@]:0:${#_peersession_words[@]}-1}"; do
    if [[ $word == --?*=* ]]; then
      COMP_WORDS+=("${word%%=*}" "${word#*=}")
    else
      COMP_WORDS+=("$word")
    fi
  done
  COMP_WORDS+=("${_peersession_words[-1]}")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  _shtab_peersession
}
