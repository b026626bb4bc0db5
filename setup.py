"""Build step for setuptools (the project is described in pyproject.toml).

The question bank (`questions.yaml`) and the app's Streamlit defaults (`.streamlit/config.toml`) live at the top
of the checkout, where people edit them. The package reads them from inside itself once installed, so they are
copied in when the package is built: `assessment/data/questions.yaml` and `assessment/ui/streamlit_config.toml`
in the wheel. In a checkout the code reads the top-level files (`assessment/bank.py`, `assessment/ui/__init__.py`),
so no symbolic links are needed, and a checkout works on systems without them. The sdist carries both top-level
files (MANIFEST.in), so a wheel built from it gets them too. tests/test_packaging.py builds both.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
INTO_PACKAGE = {  # top-level file -> where the installed package has it
    "questions.yaml": "assessment/data/questions.yaml",
    ".streamlit/config.toml": "assessment/ui/streamlit_config.toml",
}


class BuildPyWithTopLevelFiles(build_py):
    """`build_py`, then the top-level files copied into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install runs from the checkout, which reads the top-level files
        for source, target in INTO_PACKAGE.items():
            dest = Path(self.build_lib) / target
            dest.parent.mkdir(parents=True, exist_ok=True)
            self.copy_file(str(ROOT / source), str(dest))


setup(cmdclass={"build_py": BuildPyWithTopLevelFiles})
