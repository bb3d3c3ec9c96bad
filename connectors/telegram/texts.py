"""What the Telegram channel itself says to her (everything else comes from the domain).

Kept in one place so a reviewer can read every sentence together. The safe-exit
hint is deliberately neutral: it is the one message left in her chat and must not
say what the conversation was about.
"""

MEDIA_NOT_READ = (
    "谢谢你发来的内容。不过我目前只能看懂文字，图片、语音、贴纸和文件我还看不了。"
    "可以用几句话把你的情况打出来告诉我吗？"
    "如果有照片、录音等材料想提交，可以说“转人工”，工作人员会告诉你安全的提交方式。"
)

BUTTON_EXPIRED = "这个按钮已经过期了，麻烦你直接把想问的打字告诉我。"

LOCATION_PROMPT = "如果方便，可以点下面的按钮发送你的位置："

SAFE_EXIT_HINT = (
    "已删除这里能删的消息（超过48小时的消息，Telegram 不允许我删）。"
    "请在聊天列表里长按这个对话（电脑上点右键），选择“删除聊天”；"
    "也可以选择“归档”把它隐藏起来。需要时随时回来。"
)

HELD_WHILE_AWAY = "你离开之后，这里收到了新的消息："

PRIVATE_CHAT_ONLY = "为了保护你的隐私，请直接私聊我，不要在群里说你的情况。"
