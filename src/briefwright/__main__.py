from briefwright.cli import main

main()
