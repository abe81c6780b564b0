// TLS and mutual TLS through ServerRunner, with certificates made for the
// test by the openssl command.
#include <stdlib.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "lib/server/server_runner.h"

namespace reportpipe::server {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

class TlsTest : public testing::Test {
 protected:
  // One CA, a server certificate for 127.0.0.1 and a client certificate,
  // all signed by the CA.
  static void SetUpTestSuite() {
    have_openssl_ = std::system("command -v openssl >/dev/null") == 0;
    // A directory of its own: ctest runs each test as a process, in parallel.
    char dir_template[] = "/tmp/reportpipe_tls_test.XXXXXX";
    if (!have_openssl_ || mkdtemp(dir_template) == nullptr) return;
    dir_ = new std::string(dir_template);
    const std::string script = absl::StrCat(
        "set -e; cd ", *dir_,
        "; exec 2>/dev/null;"
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem"
        " -days 1 -subj /CN=reportpipe-test-ca;"
        "for who in server client; do"
        " openssl req -newkey rsa:2048 -nodes -keyout $who.key -out $who.csr"
        " -subj /CN=$who;"
        " echo subjectAltName=IP:127.0.0.1 > san.ext;"
        " openssl x509 -req -in $who.csr -CA ca.pem -CAkey ca.key"
        " -CAcreateserial -out $who.pem -days 1 -extfile san.ext; done");
    made_ = std::system(absl::StrCat("bash -c '", script, "'").c_str()) == 0;
  }

  static void TearDownTestSuite() {
    if (dir_ == nullptr) return;
    [[maybe_unused]] const int ignored =
        std::system(absl::StrCat("rm -rf ", *dir_).c_str());
    delete dir_;
    dir_ = nullptr;
  }

  void SetUp() override {
    // scripts/deps installs openssl: a missing one is a broken set-up, not
    // a reason to pass without testing TLS.
    ASSERT_TRUE(have_openssl_) << "no openssl command to make certificates";
    ASSERT_NE(dir_, nullptr) << "no temporary directory";
    ASSERT_TRUE(made_) << "openssl failed to make the test certificates";
  }

  static std::string File(const std::string& name) {
    return absl::StrCat(*dir_, "/", name);
  }

  // GetStats over TLS, with the client certificate or without.
  static grpc::Status Call(int port, bool with_client_cert) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = ReadFile(File("ca.pem"));
    if (with_client_cert) {
      ssl.pem_private_key = ReadFile(File("client.key"));
      ssl.pem_cert_chain = ReadFile(File("client.pem"));
    }
    auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                       grpc::SslCredentials(ssl));
    auto stub = v1::Stats::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    v1::GetStatsResponse response;
    return stub->GetStats(&context, v1::GetStatsRequest(), &response);
  }

  ServerOptions Options(bool mutual) const {
    ServerOptions options;
    options.service_name = "test";
    options.listen_address = "127.0.0.1:0";
    options.tls_cert_file = File("server.pem");
    options.tls_key_file = File("server.key");
    if (mutual) options.tls_client_ca_file = File("ca.pem");
    return options;
  }

  static inline std::string* dir_ = nullptr;
  static inline bool have_openssl_ = false;
  static inline bool made_ = false;
};

TEST_F(TlsTest, ServerTlsAcceptsClientsWithoutCertificates) {
  StatsRegistry stats("test");
  ServerRunner runner(Options(/*mutual=*/false));
  ASSERT_TRUE(runner.Start({}, &stats).ok());
  const grpc::Status status = Call(runner.port(), false);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(TlsTest, MutualTlsRequiresAClientCertificate) {
  StatsRegistry stats("test");
  ServerRunner runner(Options(/*mutual=*/true));
  ASSERT_TRUE(runner.Start({}, &stats).ok());
  const grpc::Status with_cert = Call(runner.port(), true);
  EXPECT_TRUE(with_cert.ok()) << with_cert.error_message();
  EXPECT_FALSE(Call(runner.port(), false).ok());
}

// A client that does not trust the CA behind the server's certificate gets
// no connection: here it trusts only the client certificate, which signed
// nothing.
TEST_F(TlsTest, ClientWithoutTheServersCaIsRefused) {
  StatsRegistry stats("test");
  ServerRunner runner(Options(/*mutual=*/false));
  ASSERT_TRUE(runner.Start({}, &stats).ok());
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadFile(File("client.pem"));
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", runner.port()),
                                     grpc::SslCredentials(ssl));
  auto stub = v1::Stats::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(3)));
  v1::GetStatsResponse response;
  const grpc::Status status = stub->GetStats(&context, {}, &response);
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  // The same server answers a client that trusts its CA.
  EXPECT_TRUE(Call(runner.port(), false).ok());
}

TEST_F(TlsTest, PlaintextClientIsRefused) {
  StatsRegistry stats("test");
  ServerRunner runner(Options(/*mutual=*/false));
  ASSERT_TRUE(runner.Start({}, &stats).ok());
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", runner.port()),
                                     grpc::InsecureChannelCredentials());
  auto stub = v1::Stats::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(2)));
  v1::GetStatsResponse response;
  EXPECT_FALSE(stub->GetStats(&context, {}, &response).ok());
}

}  // namespace
}  // namespace reportpipe::server
