from civichall.cli import main

main()
