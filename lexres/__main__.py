"""`python -m lexres`: the same command line as the `lexres` script."""
from lexres.cli import main

if __name__ == "__main__":
    main()
