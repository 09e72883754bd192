import sys

from hromada.cli import main

sys.exit(main())
