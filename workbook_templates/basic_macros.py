"""Basic macros in a LibreOffice profile: the Standard library of its "My Macros".

A profile's own macros (``user/basic/Standard``) are trusted by LibreOffice whatever the
macro security level (:func:`~workbook_templates.libreoffice.make_profile` sets the
highest, so macros in documents never run), and a command line can start one with a
``macro:///Standard.Module.Sub`` argument. :func:`write_basic_library` writes that library:
the library lists (``script.xlc``, ``dialog.xlc``), the library's index of modules
(``script.xlb``) and one ``.xba`` file per module, in the XML formats LibreOffice itself
writes (the OpenOffice.org library and module DTDs).

Used by :mod:`workbook_templates.pdf_printer` (a macro that prints a workbook handed to
it) and by the add-in binding of the tests and of ``crmvalue demo``
(:mod:`addin.libreoffice.binding`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from html import escape  # XML-safe (& < > " '); xml.sax.saxutils would import urllib
from pathlib import Path

__all__ = ["SETUP_DONE", "write_basic_library"]

#: The setting (for :func:`~workbook_templates.libreoffice.make_profile`) that tells a new
#: profile its setup is done, so LibreOffice's first start keeps the library written into it
#: instead of putting its presets (an empty Standard library) in its place.
SETUP_DONE = ("/org.openoffice.Setup/Office", "ooSetupInstCompleted", "true", "boolean")

_XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_DTD = "-//OpenOffice.org//DTD OfficeDocument 1.0//EN"
_LIBRARIES = (
    _XML_HEAD + f'<!DOCTYPE library:libraries PUBLIC "{_DTD}"'
    ' "libraries.dtd">\n'
    '<library:libraries xmlns:library="http://openoffice.org/2000/library"'
    ' xmlns:xlink="http://www.w3.org/1999/xlink">\n'
    ' <library:library library:name="Standard" library:link="false"/>\n'
    "</library:libraries>\n"
)


def _library(elements: list[str]) -> str:
    body = "".join(f' <library:element library:name="{escape(e)}"/>\n' for e in elements)
    return (
        _XML_HEAD + f'<!DOCTYPE library:library PUBLIC "{_DTD}"'
        ' "library.dtd">\n'
        '<library:library xmlns:library="http://openoffice.org/2000/library"'
        ' library:name="Standard" library:readonly="false" library:passwordprotected="false">\n'
        + body
        + "</library:library>\n"
    )


def _module_xml(name: str, source: str) -> str:
    return (
        _XML_HEAD + f'<!DOCTYPE script:module PUBLIC "{_DTD}"'
        ' "module.dtd">\n'
        '<script:module xmlns:script="http://openoffice.org/2000/script"'
        f' script:name="{escape(name)}" script:language="StarBasic">'
        + escape(source)
        + "</script:module>\n"
    )


def write_basic_library(profile: str | os.PathLike[str], modules: Mapping[str, str]) -> Path:
    """Make ``modules`` (module name -> Basic source) the Standard Basic library of the
    LibreOffice profile folder ``profile``; return the library's folder.

    Any Standard library the profile had is replaced. A profile LibreOffice has not yet
    started with gets its presets on its first start, an empty Standard library among
    them, unless its settings say the setup is done (:data:`SETUP_DONE`, see
    :func:`~workbook_templates.libreoffice.make_profile`); a prepared profile
    (:func:`~workbook_templates.libreoffice.prepared_profile`) has had its first start.

    >>> import tempfile
    >>> folder = write_basic_library(tempfile.mkdtemp(), {"Hello": 'Sub Main\\nEnd Sub\\n'})
    >>> sorted(path.name for path in folder.iterdir())
    ['Hello.xba', 'dialog.xlb', 'script.xlb']
    >>> 'library:name="Hello"' in (folder / "script.xlb").read_text()
    True
    """
    basic = Path(profile) / "user" / "basic"
    standard = basic / "Standard"
    standard.mkdir(parents=True, exist_ok=True)
    (basic / "script.xlc").write_text(_LIBRARIES, encoding="utf-8")
    (basic / "dialog.xlc").write_text(_LIBRARIES, encoding="utf-8")
    (standard / "script.xlb").write_text(_library(list(modules)), encoding="utf-8")
    (standard / "dialog.xlb").write_text(_library([]), encoding="utf-8")
    for name, source in modules.items():
        (standard / f"{name}.xba").write_text(_module_xml(name, source), encoding="utf-8")
    return standard
