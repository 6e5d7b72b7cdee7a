"""K-means segmentation logic used by the dbt Python models; knows nothing about dbt."""
