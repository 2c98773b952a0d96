from famcov.entry import main

main()
