from qoima.cli import main

main()
