# A newline in a file name must not forge a second diagnostic line, nor an
# escape sequence colour the terminal.
name=$(printf 'evil\nforged.yaml:1:1: error: \033[31mred.yaml')
printf 'family: [\n' > "$name"
