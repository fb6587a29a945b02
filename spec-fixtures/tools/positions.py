#!/usr/bin/env python3
"""Print the line:column of every object, applet, param and a start tag of a fixture page,
and of every U+FFFD, as the corpus counts them (help for writing an expected file by hand).

  python3 spec-fixtures/tools/positions.py PAGE [--encoding NAME]

NAME is a WHATWG encoding name (utf-8, windows-1252, iso-8859-2, shift_jis, utf-16le...);
by default the `encoding` of the page's expected file, else utf-8. This is a plain text
scan, not an HTML parser: a tag inside a comment or script is listed too.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from validate_expected import decode, lines_of  # noqa: E402

TAG = re.compile(r'<(object|applet|param|a)(?=[\s/>])[^>]*>?', re.I)


def main(argv):
    if not argv:
        sys.exit(__doc__)
    page = argv[0]
    encoding = None
    if '--encoding' in argv:
        encoding = argv[argv.index('--encoding') + 1]
    if encoding is None:
        exp = page.rsplit('.', 1)[0] + '.expected.json'
        if os.path.exists(exp):
            with open(exp, encoding='utf-8') as f:
                encoding = json.load(f).get('encoding')
    encoding = encoding or 'utf-8'
    with open(page, 'rb') as f:
        text = decode(f.read(), encoding)
    if text is None:
        sys.exit(f'no Python codec known for {encoding}')
    for n, row in enumerate(lines_of(text), 1):
        for m in TAG.finditer(row):
            print(f'{n}:{m.start() + 1}\t{m.group(0)[:70]}')
        for m in re.finditer('\ufffd', row):
            print(f'{n}:{m.start() + 1}\tU+FFFD')


if __name__ == '__main__':
    main(sys.argv[1:])
