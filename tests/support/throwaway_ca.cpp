#include "tests/support/throwaway_ca.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace sivo::test_support {
namespace {

struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CertFree {
  void operator()(X509* c) const { X509_free(c); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Cert = std::unique_ptr<X509, CertFree>;
using Bio = std::unique_ptr<BIO, BioFree>;

[[noreturn]] void fail(const std::string& what) {
  char reason[256] = "no OpenSSL error";
  if (unsigned long e = ERR_get_error()) ERR_error_string_n(e, reason, sizeof reason);
  throw std::runtime_error("ThrowawayCa: " + what + ": " + reason);
}

void check(int ok, const char* what) {
  if (ok != 1) fail(what);
}

Key make_key() {
  Key key(EVP_EC_gen("P-256"));
  if (!key) fail("EC key generation");
  return key;
}

void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) fail("extension " + value);
  const int ok = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  check(ok, "X509_add_ext");
}

struct Spec {
  std::string common_name;
  bool is_ca = false;
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;
  long not_before_offset = -3600;  // seconds from now
  long not_after_offset = 7 * 24 * 3600;
};

// Signs with issuer_key; a null issuer makes it self-signed.
Cert make_certificate(const Spec& spec, EVP_PKEY* subject_key, X509* issuer, EVP_PKEY* issuer_key) {
  Cert cert(X509_new());
  if (!cert) fail("X509_new");
  check(X509_set_version(cert.get(), 2), "X509_set_version");

  unsigned char serial_bytes[16];
  check(RAND_bytes(serial_bytes, sizeof serial_bytes), "RAND_bytes");
  serial_bytes[0] &= 0x7f;  // positive
  BIGNUM* serial = BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr);
  if (!serial || !BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert.get()))) fail("serial");
  BN_free(serial);

  if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), spec.not_before_offset) ||
      !X509_gmtime_adj(X509_getm_notAfter(cert.get()), spec.not_after_offset))
    fail("validity");
  check(X509_set_pubkey(cert.get(), subject_key), "X509_set_pubkey");

  X509_NAME* name = X509_get_subject_name(cert.get());
  check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>("sivo-webhooks tests"), -1, -1, 0),
        "O");
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(spec.common_name.c_str()), -1, -1, 0),
        "CN");
  check(X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name), "issuer");

  X509* issuer_cert = issuer ? issuer : cert.get();
  if (spec.is_ca) {
    add_extension(cert.get(), issuer_cert, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert.get(), issuer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
    add_extension(cert.get(), issuer_cert, NID_subject_key_identifier, "hash");
  } else {
    add_extension(cert.get(), issuer_cert, NID_basic_constraints, "critical,CA:FALSE");
    add_extension(cert.get(), issuer_cert, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    add_extension(cert.get(), issuer_cert, NID_ext_key_usage, "serverAuth");
    add_extension(cert.get(), issuer_cert, NID_subject_key_identifier, "hash");
    add_extension(cert.get(), issuer_cert, NID_authority_key_identifier, "keyid:always");
    std::string san;
    for (const auto& dns : spec.dns_names) san += (san.empty() ? "" : ",") + std::string("DNS:") + dns;
    for (const auto& ip : spec.ip_addresses) san += (san.empty() ? "" : ",") + std::string("IP:") + ip;
    if (!san.empty()) add_extension(cert.get(), issuer_cert, NID_subject_alt_name, san);
  }

  if (X509_sign(cert.get(), issuer_key, EVP_sha256()) <= 0) fail("X509_sign");
  return cert;
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string cert_pem(X509* cert) {
  Bio bio(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_X509(bio.get(), cert), "PEM_write_bio_X509");
  return bio_text(bio.get());
}

std::string key_pem(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr), "PEM_write_bio_PrivateKey");
  return bio_text(bio.get());
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("ThrowawayCa: cannot write " + path);
}

struct CaPair {
  Key key;
  Cert cert;
};

CaPair make_ca(const std::string& common_name) {
  CaPair ca{make_key(), nullptr};
  Spec spec;
  spec.common_name = common_name;
  spec.is_ca = true;
  spec.not_after_offset = 30L * 24 * 3600;
  ca.cert = make_certificate(spec, ca.key.get(), nullptr, ca.key.get());
  return ca;
}

}  // namespace

struct ThrowawayCa::Authority {
  CaPair trusted;
  std::unique_ptr<CaPair> unknown;  // made on first use
};

ThrowawayCa::ThrowawayCa() {
  std::string pattern = (std::filesystem::temp_directory_path() / "sivo-ca-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("ThrowawayCa: mkdtemp failed");
  dir_ = pattern;
  authority_ = new Authority{make_ca("sivo throwaway test CA"), nullptr};
  ca_pem_ = cert_pem(authority_->trusted.cert.get());
  ca_file_ = dir_ + "/ca.pem";
  write_file(ca_file_, ca_pem_);
}

ThrowawayCa::~ThrowawayCa() {
  delete authority_;
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

ServerCertificate ThrowawayCa::issue(const CertificateOptions& options) {
  CaPair* issuer = &authority_->trusted;
  if (options.signed_by_unknown_ca) {
    if (!authority_->unknown)
      authority_->unknown = std::make_unique<CaPair>(make_ca("an unknown CA nobody trusts"));
    issuer = authority_->unknown.get();
  }
  Spec spec;
  spec.common_name = !options.dns_names.empty()      ? options.dns_names.front()
                     : !options.ip_addresses.empty() ? options.ip_addresses.front()
                                                     : "server";
  spec.dns_names = options.dns_names;
  spec.ip_addresses = options.ip_addresses;
  if (options.expired) {
    spec.not_before_offset = -2L * 24 * 3600;
    spec.not_after_offset = -1L * 24 * 3600;
  }
  Key key = make_key();
  Cert cert = make_certificate(spec, key.get(), issuer->cert.get(), issuer->key.get());

  ServerCertificate out;
  out.cert_pem = cert_pem(cert.get());
  out.key_pem = key_pem(key.get());
  const std::string stem = dir_ + "/server-" + std::to_string(++issued_);
  out.cert_file = stem + ".crt.pem";
  out.key_file = stem + ".key.pem";
  write_file(out.cert_file, out.cert_pem);
  write_file(out.key_file, out.key_pem);
  return out;
}

}  // namespace sivo::test_support
