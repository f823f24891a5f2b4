"""Reference data every installation needs: the support plans with their
targets, and Indonesia's 2026 holidays and cuti bersama (SKB Menteri Agama,
Menteri Ketenagakerjaan and Menteri PANRB No. 1497/2025, 2/2025, 5/2025)."""

from datetime import date

from django.db import migrations

WORKING_DAY = 510  # business minutes in 07:30-16:00

# plan code: (name, default?, {priority: (first response, resolution)})
PLANS = {
    "standar": (
        "Standar",
        True,
        {
            "critical": (60, WORKING_DAY),
            "high": (240, 2 * WORKING_DAY),
            "normal": (WORKING_DAY, 5 * WORKING_DAY),
            "low": (2 * WORKING_DAY, 10 * WORKING_DAY),
        },
    ),
    "prioritas": (
        "Prioritas",
        False,
        {
            "critical": (30, 240),
            "high": (120, WORKING_DAY),
            "normal": (240, 3 * WORKING_DAY),
            "low": (WORKING_DAY, 5 * WORKING_DAY),
        },
    ),
}

NATIONAL = "national"
LEAVE = "cuti_bersama"
HOLIDAYS_2026 = (
    (date(2026, 1, 1), "Tahun Baru 2026 Masehi", NATIONAL),
    (date(2026, 1, 16), "Isra Mikraj Nabi Muhammad SAW", NATIONAL),
    (date(2026, 2, 16), "Cuti bersama Tahun Baru Imlek", LEAVE),
    (date(2026, 2, 17), "Tahun Baru Imlek 2577 Kongzili", NATIONAL),
    (date(2026, 3, 18), "Cuti bersama Hari Suci Nyepi", LEAVE),
    (date(2026, 3, 19), "Hari Suci Nyepi Tahun Baru Saka 1948", NATIONAL),
    (date(2026, 3, 20), "Cuti bersama Idulfitri 1447 H", LEAVE),
    (date(2026, 3, 21), "Idulfitri 1447 H", NATIONAL),
    (date(2026, 3, 22), "Idulfitri 1447 H", NATIONAL),
    (date(2026, 3, 23), "Cuti bersama Idulfitri 1447 H", LEAVE),
    (date(2026, 3, 24), "Cuti bersama Idulfitri 1447 H", LEAVE),
    (date(2026, 4, 3), "Wafat Yesus Kristus", NATIONAL),
    (date(2026, 4, 5), "Kebangkitan Yesus Kristus (Paskah)", NATIONAL),
    (date(2026, 5, 1), "Hari Buruh Internasional", NATIONAL),
    (date(2026, 5, 14), "Kenaikan Yesus Kristus", NATIONAL),
    (date(2026, 5, 15), "Cuti bersama Kenaikan Yesus Kristus", LEAVE),
    (date(2026, 5, 27), "Iduladha 1447 H", NATIONAL),
    (date(2026, 5, 28), "Cuti bersama Iduladha 1447 H", LEAVE),
    (date(2026, 5, 31), "Hari Raya Waisak 2570 BE", NATIONAL),
    (date(2026, 6, 1), "Hari Lahir Pancasila", NATIONAL),
    (date(2026, 6, 16), "1 Muharam Tahun Baru Islam 1448 H", NATIONAL),
    (date(2026, 8, 17), "Proklamasi Kemerdekaan Republik Indonesia", NATIONAL),
    (date(2026, 8, 25), "Maulid Nabi Muhammad SAW", NATIONAL),
    (date(2026, 12, 24), "Cuti bersama Hari Raya Natal", LEAVE),
    (date(2026, 12, 25), "Kelahiran Yesus Kristus", NATIONAL),
)


def seed(apps, schema_editor):
    SupportPlan = apps.get_model("support", "SupportPlan")
    ServiceTarget = apps.get_model("support", "ServiceTarget")
    Holiday = apps.get_model("support", "Holiday")
    for code, (name, is_default, targets) in PLANS.items():
        plan, _ = SupportPlan.objects.get_or_create(
            code=code, defaults={"name": name, "is_default": is_default}
        )
        for priority, (first, resolution) in targets.items():
            ServiceTarget.objects.get_or_create(
                plan=plan,
                priority=priority,
                defaults={"first_response_minutes": first, "resolution_minutes": resolution},
            )
    for day, name, kind in HOLIDAYS_2026:
        Holiday.objects.get_or_create(date=day, defaults={"name": name, "kind": kind})


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
