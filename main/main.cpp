// sivo-webhooks: flags, start-up (open the store, start the actor runtime,
// listen), and a clean stop on SIGTERM/SIGINT.

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <exception>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "actors/runtime.hpp"
#include "api/admin_token.hpp"
#include "api/api_service.hpp"
#include "main/config.hpp"
#include "storage/store.hpp"

namespace {

int fail(const std::string& message, int code) {
  std::cerr << "sivo-webhooks: " << message << std::endl;
  return code;
}

std::string url_host(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

int run(const sivo::main::Config& config) {
  using namespace sivo;

  // Every thread started from here on inherits this mask, so the signals
  // reach only the sigwait below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  if (!config.ca_file.empty()) {
    if (FILE* file = std::fopen(config.ca_file.c_str(), "r")) {
      std::fclose(file);
    } else {
      return fail("--ca-file: cannot read \"" + config.ca_file + "\"", 2);
    }
  }

  storage::StoreOptions store_options;
  store_options.dir = config.data_dir;
  auto store = storage::Store::open(store_options);
  if (!store) return fail("cannot open the data dir \"" + config.data_dir + "\": " + store.error().message, 1);

  actors::RuntimeOptions runtime_options;
  runtime_options.retry_policy = config.retry_policy;
  runtime_options.attempt_timeout = config.attempt_timeout;
  runtime_options.ca_file = config.ca_file;
  runtime_options.allow_private_networks = config.allow_private_networks;
  auto runtime = std::make_unique<actors::Runtime>(runtime_options, **store);

  auto admin = api::resolve_admin_token(config.admin_token, *runtime);
  if (!admin) return fail("cannot store the admin token: " + admin.error().message, 1);

  api::ApiServiceOptions api_options;
  api_options.server.host = config.listen_host;
  api_options.server.port = config.listen_port;
  api_options.allow_private_networks = config.allow_private_networks;
  auto service = std::make_unique<api::ApiService>(*runtime, admin->sha256, api_options);
  auto port = service->start();
  if (!port) return fail(port.error().message, 1);

  if (admin->generated) {
    std::cout << "admin token (printed only this once; only its hash is stored): "
              << *admin->generated << "\n";
  }
  std::cout << "sivo-webhooks " << SIVO_VERSION << " listening on http://"
            << url_host(config.listen_host) << ":" << *port << " data-dir " << config.data_dir
            << std::endl;

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::cerr << "sivo-webhooks: " << (signal_number == SIGINT ? "SIGINT" : "SIGTERM")
            << ", stopping" << std::endl;

  service->stop();   // no new requests
  runtime.reset();   // drains: in-flight attempts finish or resume after restart
  service.reset();
  store->reset();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto config = sivo::main::parse_config(args, sivo::main::process_environment());
  if (!config) return fail(config.error().message, 2);
  if (config->show_help) {
    std::cout << sivo::main::usage();
    return 0;
  }
  if (config->show_version) {
    std::cout << "sivo-webhooks " << SIVO_VERSION << "\n";
    return 0;
  }
  try {
    return run(*config);
  } catch (const std::exception& e) {
    return fail(std::string("fatal: ") + e.what(), 1);
  }
}
