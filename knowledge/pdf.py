"""The checklist as a PDF, with fpdf2.

fpdf2 is pure Python and installs from PyPI with no system libraries (WeasyPrint would need
Pango and Cairo); the layout here is a heading, the answers and a numbered list, which fpdf2
does in a few calls. The built-in Helvetica covers Latin-1, so Danish letters need no font
file; the few typographic characters outside it are replaced by their plain equivalents.
"""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import XPos, YPos

_PLAIN = str.maketrans(
    {"–": "-", "—": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "...", "→": "->", "•": "-"}
)


def _latin1(text: str) -> str:
    return text.translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


def render_checklist_pdf(
    *, title: str, intro: str, answers: list[tuple[str, str]], steps: list[dict], url: str
) -> bytes:
    """``steps``: dicts of title, what, facts (lines) and to_be_confirmed (a label, or empty)."""
    pdf = FPDF(format="A4")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_title(_latin1(title))
    pdf.set_author("ATMP Danmark")
    width = pdf.epw

    def line(text: str, size: float = 10, style: str = "", gap: float = 1.5) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(width, size * 0.5, _latin1(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(gap)

    line("ATMP Danmark", 9, "B", 0)
    line(title, 16, "B", 3)
    line(intro, 10, "", 3)
    for question, answer in answers:
        line(f"{question}: {answer}", 9, "", 0.5)
    pdf.ln(3)
    for number, step in enumerate(steps, start=1):
        heading = f"{number}. {step['title']}"
        if step.get("to_be_confirmed"):
            heading += f" ({step['to_be_confirmed']})"
        line(heading, 11, "B", 1)
        line(step["what"], 10, "", 1)
        for label_and_value in step["facts"]:
            line(label_and_value, 9, "", 0.5)
        pdf.ln(3)
    line(url, 8, "", 0)
    return bytes(pdf.output())
