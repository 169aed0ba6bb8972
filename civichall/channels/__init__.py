"""The channels an account is reached through beyond the site (WeChat first):
each a Django app that maps the channel's protocol and rules onto the rooms
below it."""
