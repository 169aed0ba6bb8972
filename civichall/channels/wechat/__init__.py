"""The WeChat channel: the custom menu's rules and its JSON for WeChat's API
(``menu``), the menu check and download it adds to the service matrix, and
the ``wechat_menu`` command."""
