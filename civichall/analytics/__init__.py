"""Analytics: figures drawn from the rooms below for staff -- the comment
area's dashboard (charts and CSV) and the questions panel on the admin's
home page. Read-only: nothing here changes a record."""
