"""The smart assistant (智能小申): answers residents' questions in their own
words from services, articles, the FAQ and past answers, and hands the rest
to a person. Its door is :func:`civichall.assistant.answering.ask`."""
