"""Entry point in a source checkout: `make run` (streamlit run app.py). The app itself is assessment/ui/main.py,
which the installed package runs with `assessment serve`."""

from assessment.ui.main import main

main()
