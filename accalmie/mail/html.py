"""HTML bodies: readable text, and links with what they show versus where they go.

One lexbor parse (selectolax) gives both. Text extraction marks block elements with a private
character before asking lexbor for the text, which keeps paragraphs and list items on their own
lines at a fraction of the cost of a layout engine (inscriptis is about six times slower here):
triage needs the words and the line structure, not the layout.

Phishing hides behind links whose text shows one domain and whose ``href`` goes to another, so
every link keeps its visible text, its host (IDNA-decoded) and the domain its text shows.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from accalmie.mail.model import Link

MAX_LINKS = 300
MAX_HTML_CHARS = 2_000_000  # HTML beyond this is not parsed (hostile or generated bulk)
# HTML tree building costs grow with the depth of unclosed elements times their number, so a
# few hundred kilobytes of "<div><div><div>…" would take minutes: only this many tags are read.
MAX_TAGS = 10_000

_MARK = "\ue000"  # private-use character: a line break the text must keep
_BLOCKS = ("br,p,div,tr,li,h1,h2,h3,h4,h5,h6,table,ul,ol,blockquote,pre,hr,dt,dd,section,"
           "article,header,footer,form,center,address,title,fieldset,nav,aside,main,figure")
_DROP = "script,style,head,noscript,template,svg,object,iframe"
_SPACES = re.compile(r"[ \t\r\n\f\v\xa0\u200b\u200c\u200d\u2060\ufeff\u00ad\u034f]+")
_MARKS = re.compile(" ?" + _MARK + "[ " + _MARK + "]*")
_URL_WS = re.compile(r"[\t\r\n]+")

_parser_cls = None


def _parser() -> type:
    """The lexbor parser class, imported on first use (it slows process start-up)."""
    global _parser_cls
    if _parser_cls is None:
        from selectolax.lexbor import LexborHTMLParser

        _parser_cls = LexborHTMLParser
    return _parser_cls


def _breaks(match: re.Match[str]) -> str:
    return "\n\n" if match.group(0).count(_MARK) > 1 else "\n"


class HtmlText(NamedTuple):
    text: str
    links: tuple[Link, ...]
    truncated: bool  # only the first MAX_HTML_CHARS characters or MAX_TAGS tags were read


def html_to_text(html: str, *, with_links: bool = True) -> HtmlText:
    """Readable text of an HTML document, and its links (``<a href>``, ``<area href>``)."""
    truncated = False
    if len(html) > MAX_HTML_CHARS:
        html, truncated = html[:MAX_HTML_CHARS], True
    if html.count("<") > MAX_TAGS:
        pos = -1
        for _ in range(MAX_TAGS):
            pos = html.find("<", pos + 1)
        html, truncated = html[:pos], True
    tree = _parser()(html)
    for node in tree.css(_DROP):
        node.decompose()
    root = tree.body or tree.root
    if root is None:
        return HtmlText("", (), truncated)
    links = _html_links(root) if with_links else ()
    for node in root.css(_BLOCKS):
        node.insert_after(_MARK)
    for node in root.css("td,th"):
        node.insert_after(" ")
    for node in root.css("img[alt]"):  # image-only buttons still say something
        alt = (node.attributes.get("alt") or "").strip()
        if alt:
            node.insert_after(f" {alt} ")
    text = root.text(deep=True, separator="") or ""
    text = _SPACES.sub(" ", text)
    text = _MARKS.sub(_breaks, text)
    return HtmlText(text.strip(), links, truncated)


def _html_links(root: Any) -> tuple[Link, ...]:
    links: list[Link] = []
    seen: set[tuple[str, str]] = set()
    for node in root.css("a[href],area[href]"):
        href = node.attributes.get("href") or ""
        url = _URL_WS.sub("", href).strip()
        if not url or url.startswith("#"):
            continue
        text = node.text(deep=True, separator=" ", strip=True) or ""
        if not text and node.tag == "area":
            text = node.attributes.get("alt") or ""
        text = _SPACES.sub(" ", text).strip()[:500]
        key = (url, text)
        if key in seen:
            continue
        seen.add(key)
        links.append(Link(url=url[:2000], text=text, domain=url_domain(url),
                          text_domain=text_domain(text)))
        if len(links) >= MAX_LINKS:
            break
    return tuple(links)


# --- Plain-text links -------------------------------------------------------------------------

_TEXT_URL = re.compile(r"(?i)\b(?:(?:https?|ftp)://|www\.)[^\s<>\"'`{}|\\^\[\]]{2,2000}")
_TRAILING = ".,;:!?)]}>'\"»"


def text_links(text: str) -> tuple[Link, ...]:
    """Bare URLs of a plain-text body: what they show is where they go."""
    if "://" not in text and "www." not in text.lower():
        return ()
    links: list[Link] = []
    seen: set[str] = set()
    for match in _TEXT_URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        if url in seen:
            continue
        seen.add(url)
        domain = url_domain(url)
        links.append(Link(url=url, text=url, domain=domain, text_domain=domain))
        if len(links) >= MAX_LINKS:
            break
    return tuple(links)


# --- Domains ----------------------------------------------------------------------------------

def _unicode_host(host: str) -> str:
    host = host.strip().strip(".").lower()
    if "xn--" in host:
        labels = []
        for label in host.split("."):
            if label.startswith("xn--"):
                try:
                    label = label[4:].encode("ascii").decode("punycode")
                except (UnicodeError, ValueError):
                    pass
            labels.append(label)
        host = ".".join(labels)
    return host


def url_domain(url: str) -> str:
    """Host a URL really goes to, lowercased and IDNA-decoded; '' when it has none."""
    lowered = url[:12].lower()
    if lowered.startswith("mailto:"):
        addr = url[7:].split("?", 1)[0].split(",", 1)[0]
        return _unicode_host(addr.rpartition("@")[2]) if "@" in addr else ""
    if lowered.startswith(("http:", "https:")):
        url = url.replace("\\", "/")  # browsers read backslashes as slashes
    elif lowered.startswith("www."):
        url = "http://" + url
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return ""
    return _unicode_host(host) if host else ""


_SHOWN = re.compile(
    r"(?:[a-z][a-z0-9+.\-]{1,15}://)?"  # scheme
    r"(?:[^\s/@:]{1,64}(?::[^\s/@]*)?@)?"  # user info, or the local part of an address
    r"((?:[\w\-]{1,63}\.)+[\w\-]{2,63})\.?"  # host
    r"(?::\d{1,5})?(?:[/?#]\S*)?",
    re.IGNORECASE,
)
# Generic top-level domains that people actually write in text (country codes are all accepted).
_COMMON_TLDS = frozenset({
    "com", "net", "org", "info", "biz", "gov", "edu", "int", "mil", "io", "app", "dev", "xyz",
    "online", "site", "shop", "store", "club", "top", "live", "pro", "tech", "cloud", "email",
    "link", "click", "work", "world", "page", "help", "support", "services", "bank", "paris",
    "bzh", "alsace", "corsica", "eus", "asso", "gouv", "mobi", "name", "tel", "museum",
    "aero", "coop", "jobs", "travel", "news", "blog", "web", "digital", "agency", "group",
    "solutions", "center", "network", "media", "today", "icu", "vip", "win", "bid", "loan",
    "review", "download", "stream", "men", "date", "racing", "science", "party", "trade",
    "webcam", "accountant", "cricket", "faith", "gdn", "rest", "fit", "cyou", "sbs", "lol",
})
_EDGES = " \t\n<>()[]{}\"'«»“”‘’.,;:!?*"


@lru_cache(maxsize=1)
def _suffixes() -> Any:
    """The public suffix list, loaded on first use."""
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList(accept_unknown=False)


def text_domain(text: str) -> str:
    """The domain a link's visible text shows ('paypal.com', 'https://x.fr/…', 'a@b.fr').

    Only text that *is* a URL, a domain or an address counts; a host without a scheme must end
    in a known public suffix, so that "M.Dupont" or "etc.)" is not taken for a domain.
    """
    if not text or len(text) > 300 or "." not in text:
        return ""
    shown = text.strip(_EDGES)
    match = _SHOWN.fullmatch(shown)
    if match is None:
        return ""
    host = _unicode_host(match.group(1))
    if "://" not in shown and "@" not in shown and not host.startswith("www."):
        tld = host.rpartition(".")[2]
        if not (len(tld) == 2 and tld.isalpha()) and tld not in _COMMON_TLDS:
            return ""  # 'M.Dupont' is a name even though .dupont is a brand TLD
        try:
            if _suffixes().publicsuffix(host) is None:
                return ""
        except Exception:  # a malformed label must not break the parse
            return ""
    return host
