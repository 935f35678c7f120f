#pragma once
// A certificate authority that lives for one test: a fresh EC P-256 CA in a
// temporary directory, issuing server certificates as PEM files. Trust it by
// giving ca_file() to the HTTPS client; serve an issued certificate with
// HttpsReceiver.
//
//   sivo::test_support::ThrowawayCa ca;
//   sivo::test_support::HttpsReceiver receiver(ca.issue());            // localhost + 127.0.0.1
//   auto expired = ca.issue({.expired = true});
//   auto wrong = ca.issue(sivo::test_support::CertificateOptions::for_host("wrong.example"));
//   auto stranger = ca.issue({.signed_by_unknown_ca = true});

#include <string>
#include <vector>

namespace sivo::test_support {

struct CertificateOptions {
  std::vector<std::string> dns_names{"localhost"};
  std::vector<std::string> ip_addresses{"127.0.0.1"};
  bool expired = false;               // valid from 2 days ago until 1 day ago
  bool signed_by_unknown_ca = false;  // issued by a CA nobody trusts

  // A certificate for `host` only (no IP): served on localhost it is the wrong host.
  static CertificateOptions for_host(std::string host) { return {{std::move(host)}, {}, false, false}; }
};

struct ServerCertificate {
  std::string cert_file;  // PEM: the leaf certificate
  std::string key_file;   // PEM: its private key
  std::string cert_pem;
  std::string key_pem;
};

class ThrowawayCa {
 public:
  ThrowawayCa();   // creates the temp dir and the CA; throws std::runtime_error on failure
  ~ThrowawayCa();  // removes the temp dir

  ThrowawayCa(const ThrowawayCa&) = delete;
  ThrowawayCa& operator=(const ThrowawayCa&) = delete;

  const std::string& dir() const { return dir_; }
  const std::string& ca_file() const { return ca_file_; }  // PEM of the CA certificate
  const std::string& ca_pem() const { return ca_pem_; }

  ServerCertificate issue(const CertificateOptions& options = {});

 private:
  struct Authority;
  std::string dir_;
  std::string ca_file_;
  std::string ca_pem_;
  Authority* authority_ = nullptr;
  int issued_ = 0;
};

}  // namespace sivo::test_support
