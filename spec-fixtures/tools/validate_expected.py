#!/usr/bin/env python3
"""Check the fixture corpus itself (not an implementation).

  python3 spec-fixtures/tools/validate_expected.py [--no-positions] [CASES_DIR]

Checks, for every case under spec-fixtures/cases/:
  * each page (*.html, *.htm, *.xhtml) has a sibling <name>.expected.json and vice versa,
    and no two pages in one directory share a name;
  * each expected file is valid against schema/expected.schema.json (needs the
    `jsonschema` package: pip install jsonschema);
  * consistency: link indexes are 0..n-1 in order, a diagnostic's link exists,
    `valid` is false exactly when an error-level diagnostic is attached (P-9);
  * positions (unless --no-positions, and only when the case names its `encoding`):
    the page is decoded, and every link position must point at the `<` of an object or
    applet start tag; a diagnostic position at the `<` of the start tag it concerns
    (param, object/applet, a), at a U+FFFD for decoding-error, at a non-ASCII character
    for undeclared-utf8. Lines end at CR LF, CR or
    LF; columns count Unicode scalar values.
Exit status 0 when everything holds, 1 otherwise.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PAGE_EXT = ('.html', '.htm', '.xhtml')
EXPECTED = '.expected.json'

ERROR_CODES = {
    'missing-required-field', 'duplicate-field', 'empty-field', 'invalid-price',
    'negative-price', 'price-out-of-range', 'invalid-url', 'unsafe-url-scheme',
    'relative-baseurl', 'invalid-paymentsystem', 'invalid-duration', 'invalid-expiration',
    'xml-not-well-formed', 'nesting-too-deep', 'too-many-attributes'}
OBJECT_CODES = {'missing-required-field', 'missing-recommended-field', 'missing-fallback',
                'nested-per-fee-link'}
DOCUMENT_CODES = {'decoding-error', 'undeclared-utf8', 'xml-not-well-formed', 'nesting-too-deep',
                  'too-many-attributes'}

# WHATWG encoding name -> Python codec (close enough for the pages of this corpus).
CODECS = {
    'utf-8': 'utf-8', 'windows-1252': 'cp1252', 'iso-8859-2': 'iso8859_2',
    'shift_jis': 'cp932', 'utf-16le': 'utf-16-le', 'utf-16be': 'utf-16-be',
    'euc-jp': 'euc_jp', 'iso-8859-15': 'iso8859_15', 'windows-1250': 'cp1250',
    'koi8-r': 'koi8_r', 'gbk': 'gbk', 'big5': 'big5', 'euc-kr': 'euc_kr',
}
BOMS = [(b'\xef\xbb\xbf', 'utf-8'), (b'\xff\xfe', 'utf-16le'), (b'\xfe\xff', 'utf-16be')]


def decode(data, encoding):
    for bom, name in BOMS:
        if data.startswith(bom):
            data = data[len(bom):]
            break
    codec = CODECS.get(encoding)
    if codec is None:
        return None
    if codec == 'cp1252':
        # WHATWG windows-1252 maps the five bytes Python leaves undefined to C1 controls.
        out = []
        for b in data:
            try:
                out.append(bytes([b]).decode('cp1252'))
            except UnicodeDecodeError:
                out.append(chr(b))
        return ''.join(out)
    return data.decode(codec, errors='replace')


def lines_of(text):
    return re.split(r'\r\n|\r|\n', text)


def at(lines, line, column):
    if line < 1 or line > len(lines):
        return None
    row = lines[line - 1]
    if column < 1 or column > len(row):
        return None
    return row[column - 1:]


def load_schema_validator():
    try:
        import jsonschema
    except ImportError:
        sys.exit('validate_expected.py needs the jsonschema package: pip install jsonschema')
    with open(os.path.join(ROOT, 'schema', 'expected.schema.json'), encoding='utf-8') as f:
        schema = json.load(f)
    cls = jsonschema.Draft202012Validator
    cls.check_schema(schema)
    return cls(schema)


def check_case(page_path, exp, problems, positions):
    rel = os.path.relpath(page_path, os.path.join(ROOT, 'cases'))

    def bad(msg):
        problems.append(f'{rel}: {msg}')

    links = exp.get('links', [])
    diags = exp.get('diagnostics', [])
    for i, link in enumerate(links):
        if link.get('index') != i:
            bad(f'link {i}: index is {link.get("index")}, expected {i} (tree order)')
    for d in diags:
        if d.get('link') is not None and not 0 <= d['link'] < len(links):
            bad(f'diagnostic {d["code"]}: link {d["link"]} does not exist')
        if d.get('code') in DOCUMENT_CODES and (d.get('link') is not None or d.get('field') is not None):
            bad(f'diagnostic {d["code"]}: a document diagnostic has link and field null')
        if d.get('code') == 'misplaced-param' and d.get('link') is not None:
            bad('misplaced-param belongs to no link (link must be null)')
    for i, link in enumerate(links):
        has_error = any(d.get('link') == i and d.get('code') in ERROR_CODES for d in diags)
        if link.get('valid') == has_error:
            bad(f'link {i}: valid={link.get("valid")} but error diagnostics attached: {has_error} (P-9)')
    if not positions or 'encoding' not in exp:
        return
    with open(page_path, 'rb') as f:
        text = decode(f.read(), exp['encoding'])
    if text is None:
        return
    lines = lines_of(text)
    xml = exp.get('options', {}).get('syntax') == 'xhtml' or page_path.endswith('.xhtml')
    flags = 0 if xml else re.I
    start = {
        'object': re.compile(r'<(object|applet)[\s/>]', flags),
        'param': re.compile(r'<param[\s/>]', flags),
        'a': re.compile(r'<a[\s/>]', flags),
        'tag': re.compile(r'</?[a-zA-Z]'),
    }
    for i, link in enumerate(links):
        rest = at(lines, link['line'], link['column'])
        if rest is None or not start['object'].match(rest):
            bad(f'link {i}: {link["line"]}:{link["column"]} is not the < of an object/applet start tag')
    for d in diags:
        code, line, col = d['code'], d['line'], d['column']
        rest = at(lines, line, col)
        where = f'diagnostic {code} at {line}:{col}'
        if rest is None:
            bad(f'{where}: outside the page')
            continue
        if code == 'decoding-error':
            if rest[0] != '\ufffd':
                bad(f'{where}: not at a U+FFFD')
        elif code == 'undeclared-utf8':
            if rest[0].isascii():
                bad(f'{where}: not at a non-ASCII character')
        elif code == 'xml-not-well-formed':
            pass
        elif code in ('nesting-too-deep', 'too-many-attributes'):
            if not start['tag'].match(rest):
                bad(f'{where}: not at the < of a tag')
            if links:
                bad(f'{where}: a page beyond the limits of P-1.8 has no links')
        elif code in OBJECT_CODES:
            at_link = d['link'] is not None and \
                (links[d['link']]['line'], links[d['link']]['column']) == (line, col)
            # A field given with an empty value counts as missing and is reported at its param.
            at_empty_param = code.startswith('missing-') and d.get('field') and \
                start['param'].match(rest)
            if not (at_link or at_empty_param):
                bad(f'{where}: must be at the start tag of its link, or at the param of its empty field')
        elif code == 'fallback-link-mismatch':
            if not start['a'].match(rest):
                bad(f'{where}: not at the < of an a start tag')
        elif not start['param'].match(rest):
            bad(f'{where}: not at the < of a param start tag')


def main(argv):
    positions = '--no-positions' not in argv
    args = [a for a in argv if not a.startswith('--')]
    cases = args[0] if args else os.path.join(ROOT, 'cases')
    validator = load_schema_validator()
    problems = []
    count = 0
    for dirpath, _dirs, files in sorted(os.walk(cases)):
        files = sorted(files)
        pages = [f for f in files if f.endswith(PAGE_EXT)]
        expected = {f for f in files if f.endswith(EXPECTED)}
        stems = {}
        for p in pages:
            stem = p.rsplit('.', 1)[0]
            if stem in stems:
                problems.append(f'{dirpath}: {p} and {stems[stem]} share the name {stem}')
            stems[stem] = p
        for e in sorted(expected):
            if e[:-len(EXPECTED)] not in stems:
                problems.append(f'{os.path.join(dirpath, e)}: no page for this expected file')
        for f in files:
            if not f.endswith(PAGE_EXT) and f not in expected:
                problems.append(f'{os.path.join(dirpath, f)}: neither a page nor an expected file')
        for stem, p in sorted(stems.items()):
            page_path = os.path.join(dirpath, p)
            exp_path = os.path.join(dirpath, stem + EXPECTED)
            if not os.path.exists(exp_path):
                problems.append(f'{page_path}: missing {stem + EXPECTED}')
                continue
            count += 1
            try:
                with open(exp_path, encoding='utf-8') as f:
                    exp = json.load(f)
            except ValueError as err:
                problems.append(f'{exp_path}: not JSON: {err}')
                continue
            errors = sorted(validator.iter_errors(exp), key=lambda e: list(e.path))
            for err in errors:
                loc = '/'.join(str(p) for p in err.path) or '(top)'
                problems.append(f'{exp_path}: schema: {loc}: {err.message}')
            if not errors:
                check_case(page_path, exp, problems, positions)
    for p in problems:
        print(p)
    print(f'{count} cases, {len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
