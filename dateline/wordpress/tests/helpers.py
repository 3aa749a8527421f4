"""Running the import in tests the way an operator does, through the command."""

from io import BytesIO, StringIO
from pathlib import Path

from django.core.management import call_command
from PIL import Image as PILImage

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = FIXTURES / "newsroom.xml"


def make_uploads(root: Path) -> Path:
    """A copy of wp-content/uploads holding the export's files but one (lost.jpg)."""
    folder = root / "uploads" / "2025" / "10"
    folder.mkdir(parents=True)
    buffer = BytesIO()
    PILImage.new("RGB", (640, 420), (30, 80, 120)).save(buffer, format="JPEG")
    (folder / "harbour.jpg").write_bytes(buffer.getvalue())
    (folder / "ferry-timetable.pdf").write_bytes(b"%PDF-1.4\n% timetable\n")
    return root / "uploads"


def run_import(*args, export=EXPORT, tmp_path: Path):
    out, err = StringIO(), StringIO()
    report = tmp_path / f"report-{len(list(tmp_path.glob('report-*')))}.txt"
    call_command(
        "import_wordpress",
        str(export),
        "--report",
        str(report),
        *args,
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), report.read_text()
