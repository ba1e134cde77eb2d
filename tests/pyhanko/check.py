"""A second, independent PDF signature tool for the tests: pyHanko validates Yunwei's signed
reports against the company CA, and countersigns one as a recipient with another tool would.

    check.py validate REPORT.pdf CA.pem   -> one JSON object per signature, oldest first
    check.py countersign IN.pdf OUT.pdf   -> OUT.pdf = IN.pdf + a signature by a new P-256 key
"""
import datetime
import json
import logging
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from asn1crypto import keys as asn1_keys, x509 as asn1_x509
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext


def validate(pdf_path, ca_path):
    context = ValidationContext(trust_roots=[load_cert_from_pemder(ca_path)])
    with open(pdf_path, "rb") as f:
        reader = PdfFileReader(f)
        for signature in reader.embedded_signatures:
            status = validate_pdf_signature(signature, context)
            print(json.dumps({
                "field": signature.field_name,
                "intact": status.intact,
                "valid": status.valid,
                "trusted": status.trusted,
                "coverage": status.coverage.name,
                "signer": status.signing_cert.subject.native.get("common_name"),
            }, ensure_ascii=False))


def countersign(in_path, out_path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, "Recipient Reviewer"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Client Office"),
    ])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=365))
            .sign(key, hashes.SHA256()))
    key_der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    cert_der = cert.public_bytes(serialization.Encoding.DER)
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(cert_der),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=None,
    )
    with open(in_path, "rb") as f:
        writer = IncrementalPdfFileWriter(f)
        meta = signers.PdfSignatureMetadata(field_name="Countersignature")
        fields.append_signature_field(writer, fields.SigFieldSpec("Countersignature"))
        with open(out_path, "wb") as out:
            signers.PdfSigner(meta, signer=signer).sign_pdf(writer, output=out)


if __name__ == "__main__":
    logging.disable(logging.WARNING)  # pyHanko logs an untrusted chain at length
    command, *args = sys.argv[1:]
    {"validate": validate, "countersign": countersign}[command](*args)
