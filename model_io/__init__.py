"""What the dbt Python models read and write through, on any engine: dbt.ref() as pandas
(frames), the model state a previous build left in the warehouse (warehouse), and progress
lines on the console (progress)."""
