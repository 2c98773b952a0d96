"""Line breaking for people reading Chinese and English on a narrow terminal.

rich breaks a line only at spaces, and a table cell that does not fit is cut with
"…". Chinese has no spaces between words, so a Chinese sentence was either cut or
broken beside the nearest number. `install()` teaches rich (once, for this process)
to break before any CJK character as well as between words, keeping closing
punctuation with what it closes and opening punctuation with what it opens; a word
longer than a line is folded. Table columns fold by default (rich's default is
"ellipsis"), so that nothing a person needs ends in "…".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2018-\u201f"
# Words of the domain a line should not split (参保登/记, 培训/说明): kept whole as a
# quoted term is. Longest first, so 集中缴费期 wins over 缴费期.
TERMS = sorted(
    {
        "参保登记",
        "培训说明",
        "个人账户",
        "居民医保",
        "职工医保",
        "集中缴费期",
        "缴费期",
        "缴费档次",
        "亲情账户",
        "代缴申请",
        "示意值",
        "身份证号",
        "回执号",
        "等待期",
        "临时成员",
        "正式成员",
        "人脸认证",
        "税务渠道",
        "先缴后返",
        "按回车继续",
        "被代缴人",
        "代缴人",
        "申请",
        "余额",
        "撤销",
        "查看",
        "回执",
        "代缴",
        "绑定",
        "缴费",
        "退费",
        "参保",
        # words the second walk saw split (享/受, 共/济, 新生/儿, 渠/道, 特殊支/出)
        "享受",
        "待遇",
        "家庭共济",
        "共济",
        "新生儿",
        "渠道",
        "文件",
        "银行账户",
        "账户",
        "本人",
        "退回",
        "返还",
        "拨付",
        "记录",
        "特殊支出",
        "个人缴费",
        "方式",
        "职工",
        "一天",
        "少于",
    },
    key=len,
    reverse=True,
)
_HAN = "\u3400-\u4dbf\u4e00-\u9fff"  # ideographs: the characters of names and words


# a short quoted or bracketed term (“是否代缴”, 《承诺书》, （示意值）), a short run of
# ideographs standing alone (a name in an English line, 周强's; a place in a list,
# 广安市、; 是否代缴 in brackets) or a domain word kept whole, an ASCII run, or one CJK
# character, each with its trailing spaces
@functools.cache
def _token() -> re.Pattern[str]:
    """Compiled at the first fold, not at import: a scripted command never folds, and
    the pattern costs about 8 ms to compile."""
    return re.compile(
        rf"\s*[“《「『][^\s“”《》「」『』]{{1,10}}[”》」』]\s*|\s*（[^\s（）]{{1,6}}）\s*"
        rf"|\s*[{_HAN}]{{0,4}}[〔\[]\d{{4}}[〕\]]\d+号\s*"  # a document's number, 国办发〔2024〕38号
        rf"|\s*(?<![{_HAN}])[{_HAN}]{{2,10}}(?![{_HAN}])(?:'s)?\s*"
        rf"|\s*(?:{'|'.join(TERMS)})\s*"
        rf"|\s*[^\s{_CJK}]+\s*|\s*[{_CJK}]\s*|\s+"
    )


CLOSING = set("，。、；：？！）］》」』】〕…,.;:?!)]}%’”")
OPENING = set("（［《「『【〔“‘([{")


def tokens(text: str) -> Iterator[tuple[int, str]]:
    """(start, token): the pieces a line may break between."""
    pending: tuple[int, str] | None = None
    for match in _token().finditer(text):
        start, token = match.start(), match.group(0)
        if pending is not None:
            previous = pending[1]
            if token[0] in CLOSING or previous[-1] in OPENING:
                pending = (pending[0], previous + token)
                continue
            yield pending
        pending = (start, token)
    if pending is not None:
        yield pending


def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
    """rich's `divide_line` (the offsets where a line breaks), CJK-aware."""
    from rich.cells import cell_len, chop_cells

    breaks: list[int] = []
    offset = 0
    for start, token in tokens(text):
        size = cell_len(token.rstrip())
        # the token's trailing spaces must fit too: rich strips a line's overflowing
        # spaces by characters, not cells, and would cut a Chinese line with "…"
        if width - offset >= cell_len(token) or (width - offset >= size and token == text[start:]):
            offset += cell_len(token)
            continue
        if size > width:
            if not fold:
                if start:
                    breaks.append(start)
                offset = cell_len(token)
                continue
            pieces = chop_cells(token, width)
            for i, piece in enumerate(pieces):
                if start and (i or offset):
                    breaks.append(start)
                offset = cell_len(piece)
                start += len(piece)
        else:
            if offset and start:
                breaks.append(start)
            # a first token that only its trailing space overflows still fills the
            # line: what follows starts the next one (it was lost past the edge)
            offset = cell_len(token)
    return breaks


def shortest(text: str) -> int:
    """The narrowest width `text` can be broken to without folding a word."""
    from rich.cells import cell_len

    return max((cell_len(token.strip()) for _, token in tokens(text)), default=0)


_installed = False


def install() -> None:
    """Make every rich Text in this process break CJK-aware (idempotent)."""
    global _installed
    if _installed:
        return
    import rich.text
    from rich.measure import Measurement
    from rich.table import Table

    if not callable(getattr(rich.text, "divide_line", None)):
        _installed = True  # another rich: its own line breaking (Chinese may break mid-word)
        return

    def measure(self, console, options):
        from rich.cells import cell_len

        from famcov.output import translate_for

        text = translate_for(console, self.plain)  # as the stream shows it
        lines = text.splitlines()
        longest = max((cell_len(line) for line in lines), default=0)
        return Measurement(min(shortest(text), longest) if text.strip() else longest, longest)

    add_column = Table.add_column

    def folding_column(self, *args, overflow="fold", **kwargs):
        return add_column(self, *args, overflow=overflow, **kwargs)

    rich.text.divide_line = divide_line
    # deliberate patches of rich's methods, which a type checker refuses (method-assign)
    rich.text.Text.__rich_measure__ = measure  # type: ignore[method-assign]
    # a cell too long for its column wraps, never "…"
    Table.add_column = folding_column  # type: ignore[method-assign]
    _installed = True
