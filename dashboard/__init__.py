"""Streamlit dashboard over the claims store: `streamlit run dashboard/app.py`."""
