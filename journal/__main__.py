from journal.launch import main

main()
