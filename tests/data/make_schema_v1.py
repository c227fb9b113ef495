"""Writes tests/data/schema_v1.db: a small hall database at schema version 1 (revision 0001).

Kept for provenance; the committed .db file is what the upgrade tests read, and it must not
be regenerated once a later schema exists (raw SQL below, not the current models).
Run: python tests/data/make_schema_v1.py
"""

from kept import write_kept

ROWS = """
INSERT INTO accounts VALUES (1,'3101000001','张三明','城关区人民路街道幸福小区3栋2单元501室','13812341234','M0000000001','residential',0,'normal',NULL,'城关供电所','幸福小区1号台区','李收费',0,1,'2026-01-01 00:00:00');
INSERT INTO accounts VALUES (2,'3101000002','王芳','城关区建设路街道和平里7栋1单元302室','13900005678','M0000000002','commercial',1,'disconnected','dibao','城关供电所','和平里2号台区','赵收费',1250,1,'2026-01-01 00:00:00');
INSERT INTO bills VALUES (1,'B310100000120251',1,'202511',215,11683,'2025-12-25',0,'2026-03-01',1);
INSERT INTO bills VALUES (2,'B310100000120261',1,'202601',310,17050,'2026-02-25',17050,NULL,1);
INSERT INTO bills VALUES (3,'B310100000220261',2,'202601',1200,98400,'2026-02-25',98400,NULL,1);
INSERT INTO users VALUES (1,'cashier1','收费员一','cashier','$argon2id$v=19$m=65536,t=3,p=4$placeholder$placeholder',1,0,NULL,1,'2026-01-01 00:00:00');
INSERT INTO users VALUES (2,'super1','班长一','supervisor','$argon2id$v=19$m=65536,t=3,p=4$placeholder$placeholder',0,0,NULL,1,'2026-01-01 00:00:00');
INSERT INTO shifts VALUES ('0190a000-0000-7000-8000-000000000001','T01',1,'2026-03-01','closed','2026-03-01 00:30:00',50000,'{"10000": 5}','2026-03-01 09:00:00',52454,52404,'{"10000": 5, "2000": 1, "200": 2, "1": 4}',-50,'零钱找错',NULL,NULL,NULL,NULL);
INSERT INTO payments VALUES ('0190a000-0000-7000-8000-000000000002','T01',1,'payment',NULL,'0190a000-0000-7000-8000-000000000001',1,1,'2026-03-01','2026-03-01 01:00:00',29572,20000,7546,12454,0,0,0,NULL,NULL,0);
INSERT INTO tenders VALUES (1,'0190a000-0000-7000-8000-000000000002','cash',20000,NULL);
INSERT INTO allocations VALUES (1,'0190a000-0000-7000-8000-000000000002',1,771,11683,66);
INSERT INTO cash_movements VALUES ('0190a000-0000-7000-8000-000000000003','T01',2,'0190a000-0000-7000-8000-000000000001','out',10000,'解款',1,'2026-03-01 05:00:00');
INSERT INTO terminal_sequences VALUES ('T01',2);
INSERT INTO audit_log VALUES (1,'2026-03-01 01:00:00',1,'payment','0190a000-0000-7000-8000-000000000002','{}','0000000000000000000000000000000000000000000000000000000000000000','1111111111111111111111111111111111111111111111111111111111111111');
INSERT INTO outbox VALUES (1,'payment','0190a000-0000-7000-8000-000000000002',1,'{"id": "0190a000-0000-7000-8000-000000000002"}','2026-03-01 01:00:00','pending',0,NULL,NULL);
INSERT INTO sync_state VALUES ('pull_cursor','42');
"""


def main() -> None:
    write_kept(1, "0001", lambda conn: conn.executescript(ROWS))


if __name__ == "__main__":
    main()
