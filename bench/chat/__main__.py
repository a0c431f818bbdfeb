"""``python -m bench.chat serve|clients``: bench chat's server and viewer processes."""

from bench.chat.server import main

if __name__ == "__main__":
    main()
