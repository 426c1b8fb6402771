"""ETL: Russian-language news articles -> bilateral indicator claims -> DuckDB."""
