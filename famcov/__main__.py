from famcov.cli import main

main()
