#!/bin/sh
# Fails when a translatable string of the sources is missing from a
# translation, or is only fuzzy there, and when a source file with
# translatable strings is missing from po/POTFILES.in.
#
# Usage: check-translations.sh SOURCE_ROOT [LANGUAGE…]   (default: po/LINGUAS)
set -eu

root=${1:?usage: check-translations.sh SOURCE_ROOT [LANGUAGE…]}
shift
cd "$root"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
status=0

# Every file with _(, N_(, C_(, NC_( or g_dngettext (, or translatable="yes",
# must be in POTFILES.in
grep -v '^[[:space:]]*\(#\|$\)' po/POTFILES.in | sort >"$tmp/listed"
{
  grep -lE '(^|[^A-Za-z0-9_])(N?C?_|g_dngettext)[[:space:]]*\(' \
    src/core/*.c src/cli/*.c src/app/*.c || true
  grep -l 'translatable="yes"' ui/*.ui || true
} | sort >"$tmp/used"
missing_files=$(comm -23 "$tmp/used" "$tmp/listed")
if [ -n "$missing_files" ]; then
  echo "Not in po/POTFILES.in, but with translatable strings:" >&2
  echo "$missing_files" | sed 's/^/  /' >&2
  status=1
fi
while read -r f; do
  if [ ! -f "$f" ]; then
    echo "po/POTFILES.in lists $f, which does not exist" >&2
    status=1
  fi
done <"$tmp/listed"
[ $status -eq 0 ] || exit $status

# The template, as meson's glib preset makes it. xgettext 0.21 reads the
# .ui (GtkBuilder), .desktop.in, .metainfo.xml.in (AppData) and
# .gschema.xml (GSettings) files by itself.
xgettext --package-name=singly --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
  --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
  --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
  --files-from=po/POTFILES.in --output="$tmp/singly.pot" 2>"$tmp/xgettext.log" || {
    cat "$tmp/xgettext.log" >&2
    exit 1
  }

# The msgids of a catalogue's entries, one entry a paragraph, header left out
print_msgids () {
  awk '
    /^msgid ""$/ && !seen { header = 1 }
    /^msgid / { entry = 1 }
    /^msgstr/ { if (entry && !header) print ""; entry = 0; header = 0; seen = 1 }
    entry && !header && !/^#/ { print "    " $0 }
  '
}

languages=$*
if [ -z "$languages" ]; then
  languages=$(sed -e 's/#.*//' po/LINGUAS)
fi

for lang in $languages; do
  po="po/$lang.po"
  if [ ! -f "$po" ]; then
    echo "$po: missing" >&2
    status=1
    continue
  fi
  msgmerge --quiet --no-fuzzy-matching --no-wrap "$po" "$tmp/singly.pot" \
    --output-file="$tmp/$lang.po" 2>/dev/null
  if ! msgfmt --check --statistics --output-file=/dev/null "$tmp/$lang.po" \
      >"$tmp/$lang.stats" 2>&1; then
    grep -v 'escape sequence' "$tmp/$lang.stats" >&2
    echo "$po: msgfmt --check fails" >&2
    status=1
  fi
  echo "$lang: $(grep 'translated message' "$tmp/$lang.stats")"
  msgattrib --untranslated --no-obsolete --no-wrap --no-location "$tmp/$lang.po" |
    print_msgids >"$tmp/$lang.untranslated"
  msgattrib --only-fuzzy --no-obsolete --no-wrap --no-location "$tmp/$lang.po" |
    print_msgids >"$tmp/$lang.fuzzy"
  if [ -s "$tmp/$lang.untranslated" ]; then
    echo "$po: not translated:" >&2
    cat "$tmp/$lang.untranslated" >&2
    status=1
  fi
  if [ -s "$tmp/$lang.fuzzy" ]; then
    echo "$po: fuzzy:" >&2
    cat "$tmp/$lang.fuzzy" >&2
    status=1
  fi
done

exit $status
