"""The web shell: the Gradio chat, the JSON API and the embed, served together by one app.

``create_app(settings, assistant)`` builds the app; ``serve(settings)`` indexes if needed and runs
it. Import them from ``assistant.web.server``; this package imports nothing heavy by itself.
"""
