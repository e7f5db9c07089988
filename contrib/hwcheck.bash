# bash completion for hwcheck(1)
_hwcheck() {
    local cur prev
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    case $prev in
    -f | --format)
        COMPREPLY=($(compgen -W "text json csv html gcc github sarif" -- "$cur"))
        return ;;
    --lang)
        COMPREPLY=($(compgen -W "zh en" -- "$cur"))
        return ;;
    --encoding)
        COMPREPLY=($(compgen -W "auto utf-8 gb18030 gbk" -- "$cur"))
        return ;;
    --output-encoding)
        COMPREPLY=($(compgen -W "utf-8 gb18030" -- "$cur"))
        return ;;
    --fail-on)
        COMPREPLY=($(compgen -W "error warning none" -- "$cur"))
        return ;;
    --preset)
        COMPREPLY=($(compgen -W "$(hwcheck --list-presets 2>/dev/null | cut -d' ' -f1)" -- "$cur"))
        return ;;
    -j | --jobs)
        return ;;
    -p | --policy | --baseline)
        COMPREPLY=($(compgen -f -X '!*.json' -- "$cur") $(compgen -d -- "$cur"))
        return ;;
    -o | --output | --write-baseline | --files-from)
        COMPREPLY=($(compgen -f -- "$cur"))
        return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "--format --output --summary --files-from --lang --encoding
            --fill-down --output-encoding --policy --preset --print-policy --list-presets
            --baseline --write-baseline --fail-on --jobs --help --version" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -X '!*.@(csv|CSV|txt|TXT)' -- "$cur") $(compgen -d -- "$cur"))
}
complete -o filenames -F _hwcheck hwcheck
