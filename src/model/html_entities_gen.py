#!/usr/bin/env python3
"""Regenerates html_entities.inc from CPython's own tables (the ones html.unescape uses).

Usage: python3 src/model/html_entities_gen.py > src/model/html_entities.inc
"""
import html
import html.entities


def cstr(s):
    out = []
    for b in s.encode("utf-8"):
        if 32 <= b < 127 and chr(b) not in '"\\?':
            out.append('"%s"' % chr(b))
        else:
            out.append('"\\x%02x"' % b)
    return "".join(out).replace('""', "") or '""'


def main():
    print("// GENERATED from CPython html.entities.html5, html._invalid_charrefs and")
    print("// html._invalid_codepoints (the tables html.unescape uses) by html_entities_gen.py.")
    print("// Do not edit by hand. Exempt from the file-size rule (generated table).")
    print("// Sorted by name (byte order) for binary search.")
    print("// clang-format off")
    print("static constexpr HtmlEntity kHtmlEntities[] = {")
    for k in sorted(html.entities.html5, key=lambda s: s.encode()):
        print("    {%s, %s}," % (cstr(k), cstr(html.entities.html5[k])))
    print("};")
    print()
    print("// Numeric references that html.unescape remaps (Windows-1252 and a few others).")
    print("static constexpr InvalidCharref kInvalidCharrefs[] = {")
    for k in sorted(html._invalid_charrefs):
        print("    {0x%X, %s}," % (k, cstr(html._invalid_charrefs[k])))
    print("};")
    print()
    print("// Code points that html.unescape drops entirely.")
    print("static constexpr uint32_t kInvalidCodepoints[] = {")
    cps = sorted(html._invalid_codepoints)
    for i in range(0, len(cps), 8):
        print("    " + " ".join("0x%X," % c for c in cps[i:i + 8]))
    print("};")
    print("// clang-format on")


if __name__ == "__main__":
    main()
