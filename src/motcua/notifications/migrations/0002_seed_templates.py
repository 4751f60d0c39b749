"""The Vietnamese notification templates, one per event (editable afterwards in the admin)."""

from django.db import migrations

FOOTER = "\n\nTra cứu tình trạng hồ sơ: {{ tracking_url }}\n\n{{ site_name }}"

TEMPLATES = {
    "submitted": (
        "Hồ sơ {{ code }} đã được nộp",
        "Kính gửi Ông/Bà,\n\nHồ sơ {{ code }} ({{ procedure }}) đã được nộp tại {{ agency }}."
        "{% if appointment %}\nNgày hẹn trả kết quả: {{ appointment }}.{% endif %}" + FOOTER,
        "Hồ sơ {{ code }} đã được nộp.{% if appointment %} Hẹn trả kết quả: {{ appointment }}."
        "{% endif %} Tra cứu: {{ tracking_url }}",
    ),
    "received": (
        "Hồ sơ {{ code }} đã được tiếp nhận",
        "Kính gửi Ông/Bà,\n\nHồ sơ {{ code }} ({{ procedure }}) đã được {{ agency }} tiếp nhận."
        "\nNgày hẹn trả kết quả: {{ appointment }}." + FOOTER,
        "Hồ sơ {{ code }} đã được tiếp nhận. Hẹn trả kết quả: {{ appointment }}. "
        "Tra cứu: {{ tracking_url }}",
    ),
    "supplement_requested": (
        "Hồ sơ {{ code }} cần bổ sung",
        "Kính gửi Ông/Bà,\n\nHồ sơ {{ code }} ({{ procedure }}) cần bổ sung các giấy tờ sau:"
        "{% for item in items %}\n- {{ item }}{% endfor %}"
        "{% if reason %}\n\nGhi chú: {{ reason }}{% endif %}"
        "\n\nThời gian chờ bổ sung không tính vào thời hạn giải quyết." + FOOTER,
        "Hồ sơ {{ code }} cần bổ sung {{ items|length }} giấy tờ. Chi tiết: {{ tracking_url }}",
    ),
    "supplement_reminder": (
        "Nhắc bổ sung hồ sơ {{ code }}",
        "Kính gửi Ông/Bà,\n\nHồ sơ {{ code }} ({{ procedure }}) vẫn đang chờ Ông/Bà bổ sung:"
        "{% for item in items %}\n- {{ item }}{% endfor %}"
        "\n\nĐề nghị Ông/Bà bổ sung để hồ sơ được tiếp tục giải quyết." + FOOTER,
        "Hồ sơ {{ code }} vẫn chờ bổ sung giấy tờ. Chi tiết: {{ tracking_url }}",
    ),
    "payment_requested": (
        "Hồ sơ {{ code }}: đề nghị nộp phí, lệ phí",
        "Kính gửi Ông/Bà,\n\nĐề nghị Ông/Bà nộp {{ amount }} cho hồ sơ {{ code }} "
        "({{ procedure }}), trực tuyến hoặc tại bộ phận một cửa."
        "{% if reason %}\nNội dung: {{ reason }}{% endif %}" + FOOTER,
        "Hồ sơ {{ code }}: đề nghị nộp {{ amount }}. Chi tiết: {{ tracking_url }}",
    ),
    "extended": (
        "Xin lỗi về việc gia hạn hồ sơ {{ code }}",
        "Kính gửi Ông/Bà,\n\n{{ agency }} xin lỗi Ông/Bà vì hồ sơ {{ code }} ({{ procedure }}) "
        "chưa giải quyết được đúng hẹn.{% if reason %}\nLý do: {{ reason }}{% endif %}"
        "\nNgày hẹn trả kết quả mới: {{ new_due }}." + FOOTER,
        "Xin lỗi Ông/Bà: hồ sơ {{ code }} được hẹn lại đến {{ new_due }}. "
        "Tra cứu: {{ tracking_url }}",
    ),
    "resolved": (
        "Hồ sơ {{ code }} đã có kết quả",
        "Kính gửi Ông/Bà,\n\nHồ sơ {{ code }} ({{ procedure }}) đã có kết quả giải quyết."
        "{% if decision == 'rejected' %}\nHồ sơ không được giải quyết."
        "{% if reason %} Lý do: {{ reason }}{% endif %}{% endif %}" + FOOTER,
        "Hồ sơ {{ code }} đã có kết quả. Tra cứu: {{ tracking_url }}",
    ),
    "returned": (
        "Hồ sơ {{ code }} đã trả kết quả",
        "Kính gửi Ông/Bà,\n\nKết quả hồ sơ {{ code }} ({{ procedure }}) đã được trả."
        "\nMời Ông/Bà đánh giá sự hài lòng tại trang tra cứu." + FOOTER,
        "Hồ sơ {{ code }} đã trả kết quả. Đánh giá tại: {{ tracking_url }}",
    ),
}


def seed(apps, schema_editor):
    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    for event, (subject, body, short_body) in TEMPLATES.items():
        NotificationTemplate.objects.get_or_create(
            event=event, defaults={"subject": subject, "body": body, "short_body": short_body}
        )


def unseed(apps, schema_editor):
    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    NotificationTemplate.objects.filter(event__in=list(TEMPLATES)).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_notification_models")]

    operations = [migrations.RunPython(seed, unseed)]
