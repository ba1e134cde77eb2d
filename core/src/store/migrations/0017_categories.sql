-- Categories (分类) of fault types and causes, the spellings mapped onto them, and the code a
-- report chose (projection columns beside the typed text, which stays as detail).
CREATE TABLE categories (
    kind     TEXT    NOT NULL CHECK (kind IN ('fault_type', 'cause')),
    code     TEXT    NOT NULL,
    name     TEXT    NOT NULL,
    name_en  TEXT    NOT NULL DEFAULT '',
    parent   TEXT,
    retired  INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    position INTEGER NOT NULL,
    PRIMARY KEY (kind, code),
    FOREIGN KEY (kind, parent) REFERENCES categories (kind, code)
) WITHOUT ROWID;

-- A normalised spelling (see category::normalise) counted under a code.
CREATE TABLE category_mappings (
    kind       TEXT NOT NULL,
    key        TEXT NOT NULL,
    code       TEXT NOT NULL,
    mapped_by  TEXT NOT NULL,
    mapped_at  TEXT NOT NULL,
    PRIMARY KEY (kind, key),
    FOREIGN KEY (kind, code) REFERENCES categories (kind, code)
) WITHOUT ROWID;

ALTER TABLE incidents ADD COLUMN fault_type_code TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN cause_code TEXT NOT NULL DEFAULT '';

-- The built-in lists: the types of the service plan's prevention table, and causes in groups.
INSERT INTO categories (kind, code, name, name_en, parent, position) VALUES
    ('fault_type', 'APP',   '应用软件',     'Application software',       NULL, 1),
    ('fault_type', 'OS',    '操作系统',     'Operating system',           NULL, 2),
    ('fault_type', 'DB',    '数据库',       'Database',                   NULL, 3),
    ('fault_type', 'SRV',   '服务器硬件',   'Server hardware',            NULL, 4),
    ('fault_type', 'NET',   '网络',         'Network',                    NULL, 5),
    ('fault_type', 'TERM',  '终端与外设',   'Desktops and peripherals',   NULL, 6),
    ('fault_type', 'SEC',   '安全与病毒',   'Security and viruses',       NULL, 7),
    ('fault_type', 'DATA',  '数据丢失或损坏', 'Data loss or damage',      NULL, 8),
    ('fault_type', 'ACCT',  '账号与权限',   'Accounts and permissions',   NULL, 9),
    ('fault_type', 'REQ',   '服务请求',     'Service request',            NULL, 10),
    ('fault_type', 'OTHER', '其他',         'Other',                      NULL, 11),
    ('cause', 'SW',         '软件',         'Software',                   NULL, 1),
    ('cause', 'SW-BUG',     '软件缺陷',     'Software defect',            'SW', 2),
    ('cause', 'SW-CFG',     '配置错误',     'Wrong configuration',        'SW', 3),
    ('cause', 'SW-COMPAT',  '版本或兼容问题', 'Version or compatibility', 'SW', 4),
    ('cause', 'SW-EXPIRED', '证书或许可过期', 'Certificate or licence expired', 'SW', 5),
    ('cause', 'HW',         '硬件',         'Hardware',                   NULL, 6),
    ('cause', 'HW-FAIL',    '部件故障',     'Component failure',          'HW', 7),
    ('cause', 'HW-AGE',     '设备老化',     'Ageing equipment',           'HW', 8),
    ('cause', 'CAP',        '容量与性能',   'Capacity and performance',   NULL, 9),
    ('cause', 'CAP-DISK',   '存储空间不足', 'Storage full',               'CAP', 10),
    ('cause', 'CAP-RES',    '内存或资源不足', 'Memory or resources short', 'CAP', 11),
    ('cause', 'CAP-PERF',   '性能瓶颈',     'Performance bottleneck',     'CAP', 12),
    ('cause', 'OPS',        '操作',         'Operation',                  NULL, 13),
    ('cause', 'OPS-USER',   '用户操作或使用问题', 'User error or question', 'OPS', 14),
    ('cause', 'OPS-ADMIN',  '运维操作失误', 'Maintenance error',          'OPS', 15),
    ('cause', 'OPS-PASS',   '密码或账号问题', 'Password or account',      'OPS', 16),
    ('cause', 'EXT',        '外部',         'External',                   NULL, 17),
    ('cause', 'EXT-POWER',  '供电',         'Power',                      'EXT', 18),
    ('cause', 'EXT-LINE',   '线路或运营商', 'Line or carrier',            'EXT', 19),
    ('cause', 'EXT-VENDOR', '第三方系统',   'Third-party system',         'EXT', 20),
    ('cause', 'EXT-ATTACK', '病毒或攻击',   'Virus or attack',            'EXT', 21),
    ('cause', 'UNKNOWN',    '原因不明',     'Unknown',                    NULL, 22);
