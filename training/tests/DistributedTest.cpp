//===- DistributedTest.cpp - qnn-train on two loopback ranks --------------===//
//
// Runs the qnn-train binary as separate processes (ranks meet on loopback
// through a FileStore or a TCPStore) and compares with one process.
//
//===----------------------------------------------------------------------===//

#include "Model.h"
#include "TestFiles.h"

#include <gtest/gtest.h>
#include <torch/serialize.h>

#include <arpa/inet.h>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <spawn.h>
#include <sstream>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char **environ;

using namespace qnn::train;
using namespace qnn::train::testing;
namespace fs = std::filesystem;

namespace {

const char *kDataDir = "/usr/share/datasets/fashion-mnist";

/// A small vgg-small run: 512 training images, one epoch per step.
std::vector<std::string> tinyRun(const fs::path &out, int batchSize) {
  // clang-format off
  return {QNN_TRAIN_PATH, "--out", out.string(),
          "--train-limit", "512", "--epoch-size", "512",
          "--validation-size", "256", "--test-limit", "500",
          "--teacher-epochs", "1", "--layer-epochs", "1",
          "--finetune-epochs", "1", "--batch-size", std::to_string(batchSize),
          "--threads", "1", "--seed", "3", "--quiet"};
  // clang-format on
}

/// A loopback port nobody listens on right now.
int freePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

/// Starts qnn-train with the torchrun variables of rank of world ranks (none
/// when world is 0), its output in log.
pid_t start(std::vector<std::string> args, int rank, int world, int port,
            const fs::path &log) {
  std::vector<std::string> environment;
  for (char **e = environ; *e; ++e)
    environment.push_back(*e);
  if (world > 0)
    for (std::string v :
         {"RANK=" + std::to_string(rank), "WORLD_SIZE=" + std::to_string(world),
          std::string("MASTER_ADDR=127.0.0.1"),
          "MASTER_PORT=" + std::to_string(port)})
      environment.push_back(v);
  auto pointers = [](std::vector<std::string> &strings) {
    std::vector<char *> p;
    for (std::string &s : strings)
      p.push_back(s.data());
    p.push_back(nullptr);
    return p;
  };
  std::vector<char *> argv = pointers(args), envp = pointers(environment);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  int status =
      posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  return status == 0 ? pid : -1;
}

/// The exit status of pid, or -1 if it is still running after seconds (it
/// is then killed).
int finish(pid_t pid, double seconds) {
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string contents(const fs::path &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Runs ranks (1: no torchrun variables) to completion; their exit codes.
std::vector<int> runRanks(const std::vector<std::string> &args, int ranks,
                          const fs::path &logs) {
  int port = freePort();
  std::vector<pid_t> pids;
  for (int r = 0; r < ranks; ++r)
    pids.push_back(start(args, r, ranks == 1 ? 0 : ranks, port,
                         logs / ("rank" + std::to_string(r) + ".log")));
  std::vector<int> codes;
  for (pid_t pid : pids)
    codes.push_back(pid < 0 ? -2 : finish(pid, 120));
  return codes;
}

/// The networks a checkpoint holds ("teacher", "student", ...), loaded
/// into fresh modules of the run's topology.
template <typename Net>
std::shared_ptr<Net> loadNet(const fs::path &checkpoint,
                             const std::string &name) {
  auto topology = makeTopology("vgg-small", 4, 4);
  auto net = std::make_shared<Net>(*topology);
  torch::serialize::InputArchive archive, nets, one;
  archive.load_from(checkpoint.string());
  archive.read("nets", nets);
  nets.read(name, one);
  net->load(one);
  return net;
}

/// Largest |a - b| over all parameters and buffers.
double largestDifference(torch::nn::Module &a, torch::nn::Module &b) {
  double largest = 0;
  auto pa = a.parameters(), pb = b.parameters();
  auto ba = a.buffers(), bb = b.buffers();
  pa.insert(pa.end(), ba.begin(), ba.end());
  pb.insert(pb.end(), bb.begin(), bb.end());
  for (size_t i = 0; i < pa.size(); ++i)
    largest = std::max(largest, (pa[i] - pb[i]).abs().max().item<double>());
  return largest;
}

std::string summaryLine(const fs::path &summary, const std::string &key) {
  std::istringstream in(contents(summary));
  for (std::string line; std::getline(in, line);)
    if (line.rfind(key + " ", 0) == 0)
      return line;
  return "";
}

} // namespace

TEST(Distributed, TwoRanksEqualOneRankWithTheDoubledBatch) {
  if (!fs::exists(kDataDir))
    GTEST_SKIP() << kDataDir << " not installed (dataset-fashion-mnist)";
  fs::path dir = freshDirectory("qnn-dist-equal");

  // The teacher stage (synchronized BN): 8 steps of 64 images.
  auto teacherRun = [&](const std::string &name, int ranks, int batch) {
    auto args = tinyRun(dir / name, batch);
    args.insert(args.end(), {"--stop-after-epochs", "1"});
    return runRanks(args, ranks, dir);
  };
  EXPECT_EQ(teacherRun("one", 1, 64), std::vector<int>({0}))
      << contents(dir / "rank0.log");
  EXPECT_EQ(teacherRun("two", 2, 32), std::vector<int>({0, 0}))
      << contents(dir / "rank0.log") << contents(dir / "rank1.log");
  auto teacherOne = loadNet<TeacherNet>(dir / "one/checkpoint.pt", "teacher");
  auto teacherTwo = loadNet<TeacherNet>(dir / "two/checkpoint.pt", "teacher");
  // Adam divides by sqrt(v), so rounding noise in tiny gradients grows to a
  // fraction of the learning rate (2e-3): the same one-process run with 2
  // intra-op threads instead of 1 differs from it by 8e-4 after these steps.
  EXPECT_LT(largestDifference(*teacherOne, *teacherTwo), 2e-3);
  EXPECT_GT(largestDifference(
                *teacherOne,
                *loadNet<TeacherNet>(dir / "one/checkpoint.pt", "reference")),
            1e-3); // the teacher did train

  // The integer fine-tune from one checkpoint taken just before it (a float
  // difference of 1e-7 can flip a quantization choice in stages 1-2, after
  // which two correct runs part ways): student parameters and the integer
  // simulation's test accuracy agree.
  auto prefix = tinyRun(dir / "prefix", 64);
  prefix.insert(prefix.end(), {"--stop-after-epochs", "6"});
  ASSERT_EQ(runRanks(prefix, 1, dir), std::vector<int>({0}))
      << contents(dir / "rank0.log");
  for (std::string name : {"tune-one", "tune-two"}) // the run so far
    fs::copy(dir / "prefix", dir / name);
  auto tune = [&](const std::string &name, int ranks, int batch) {
    auto args = tinyRun(dir / name, batch);
    args.push_back("--resume");
    if (ranks > 1) // the FileStore rendezvous
      args.insert(args.end(),
                  {"--rendezvous-file", (dir / (name + ".store")).string()});
    return runRanks(args, ranks, dir);
  };
  EXPECT_EQ(tune("tune-one", 1, 64), std::vector<int>({0}))
      << contents(dir / "rank0.log");
  EXPECT_EQ(tune("tune-two", 2, 32), std::vector<int>({0, 0}))
      << contents(dir / "rank0.log") << contents(dir / "rank1.log");
  auto studentOne =
      loadNet<StudentNet>(dir / "tune-one/checkpoint.pt", "student");
  auto studentTwo =
      loadNet<StudentNet>(dir / "tune-two/checkpoint.pt", "student");
  EXPECT_LT(largestDifference(*studentOne, *studentTwo), 1e-4);
  std::string accuracy = "student_integer_test_accuracy";
  EXPECT_NE(summaryLine(dir / "tune-one/summary.txt", accuracy), "");
  EXPECT_EQ(summaryLine(dir / "tune-one/summary.txt", accuracy),
            summaryLine(dir / "tune-two/summary.txt", accuracy));
}

TEST(Distributed, KilledRankStopsTheOtherAndResumeContinues) {
  if (!fs::exists(kDataDir))
    GTEST_SKIP() << kDataDir << " not installed (dataset-fashion-mnist)";
  fs::path dir = freshDirectory("qnn-dist-kill");
  auto args = tinyRun(dir / "run", 16); // 32 steps per epoch per rank
  args.insert(args.end(), {"--train-limit", "1024", "--epoch-size", "1024",
                           "--teacher-epochs", "3", "--dist-timeout", "20"});
  int port = freePort();
  pid_t root = start(args, 0, 2, port, dir / "rank0.log");
  pid_t other = start(args, 1, 2, port, dir / "rank1.log");
  ASSERT_GT(root, 0);
  ASSERT_GT(other, 0);
  // Wait for the first checkpoint (end of epoch 1), then kill rank 1 while
  // it is inside epoch 2.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!fs::exists(dir / "run/checkpoint.pt") &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(fs::exists(dir / "run/checkpoint.pt"))
      << contents(dir / "rank0.log");
  kill(other, SIGKILL);
  finish(other, 10);
  auto killed = std::chrono::steady_clock::now();
  int code = finish(root, 30);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - killed)
          .count();
  std::string log = contents(dir / "rank0.log");
  EXPECT_EQ(code, 1) << log;
  EXPECT_LT(seconds, 25.0); // within the 20 s collective timeout
  EXPECT_NE(log.find("qnn-train: rank 0 of 2: "), std::string::npos) << log;
  EXPECT_NE(log.find("failed (a rank died or did not answer within 20 s)"),
            std::string::npos)
      << log;

  // Both ranks resume from the last checkpoint and train on.
  args.insert(args.end(), {"--resume", "--stop-after-epochs", "1"});
  EXPECT_EQ(runRanks(args, 2, dir), std::vector<int>({0, 0}))
      << contents(dir / "rank0.log") << contents(dir / "rank1.log");
  std::string resumed = contents(dir / "rank0.log");
  EXPECT_NE(resumed.find("resuming at step 0 epoch "), std::string::npos)
      << resumed;
  EXPECT_EQ(resumed.find("resuming at step 0 epoch 0"), std::string::npos);
  EXPECT_NE(resumed.find("stopped after 1 epoch"), std::string::npos)
      << resumed;
}
