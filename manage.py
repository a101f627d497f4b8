#!/usr/bin/env python3
from guichet.cli import main

if __name__ == "__main__":
    main()
