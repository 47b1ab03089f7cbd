//===- PlotTest.cpp - log.csv reader and the accuracy plot ----------------===//

#include "Plot.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace qnn::train;

namespace {

/// A fresh run directory holding `csv` as its log.csv.
std::string runWithLog(const std::string &name, const std::string &csv) {
  auto dir = std::filesystem::temp_directory_path() / "qnn-plot-test" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "log.csv") << csv;
  return dir.string();
}

// Two teacher epochs, local init (no training), one fine-tune epoch.
const std::string kLog = std::string(kTrainingLogHeader) + "\n" +
                         "0,0,1,0.002,0.9,70,75,float,1,100\n"
                         "0,0,2,0.001,0.6,80,82,float,1,100\n"
                         "1,0,0,0,0,0,78,integer,0,0\n"
                         "3,0,1,0.0005,0.5,85,80,integer,1,100\n";

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST(TrainingLog, ReadsEveryRow) {
  auto rows = readTrainingLog(runWithLog("read", kLog) + "/log.csv");
  ASSERT_TRUE(rows) << rows.error();
  ASSERT_EQ(rows->size(), 4u);
  const LogRow &init = (*rows)[2];
  EXPECT_EQ(init.stage, 1);
  EXPECT_EQ(init.epoch, 0);
  EXPECT_DOUBLE_EQ(init.validationAccuracy, 78);
  EXPECT_TRUE(init.integerValidation);
  EXPECT_FALSE((*rows)[0].integerValidation);
  EXPECT_DOUBLE_EQ((*rows)[3].trainLoss, 0.5);
}

TEST(AccuracyPlot, PolylinesLabelsAndTeacherLine) {
  std::string dir = runWithLog("plot", kLog);
  auto path = writeAccuracyPlot(dir);
  ASSERT_TRUE(path) << path.error();
  EXPECT_EQ(*path, dir + "/accuracy.svg");
  std::ifstream in(*path);
  std::string svg((std::istreambuf_iterator<char>(in)),
                  std::istreambuf_iterator<char>());
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
  EXPECT_TRUE(contains(svg, "</svg>\n"));
  // Four epochs across x = 80..800: centres 170, 350, 530, 710. Accuracy
  // 70..90 % across y = 380..60 (16 px per point); loss 0..1 across
  // y = 540..420.
  EXPECT_TRUE(contains(svg, "points=\"170.0,300.0 350.0,188.0\"")) // validation
      << svg;
  EXPECT_TRUE(contains(svg, "points=\"170.0,300.0 350.0,188.0 530.0,252.0 "
                            "710.0,220.0\"")); // validation, all steps
  EXPECT_TRUE(contains(svg, "points=\"170.0,380.0 350.0,220.0\"")); // train
  EXPECT_TRUE(contains(svg, "points=\"170.0,432.0 350.0,468.0\"")); // loss
  // Integer-validated epochs are filled; the teacher's best is the line.
  EXPECT_TRUE(contains(svg, "<circle cx=\"530.0\" cy=\"252.0\" r=\"4.0\" "
                            "stroke=\"#9467bd\" stroke-width=\"1.5\" "
                            "fill=\"#9467bd\"/>"));
  EXPECT_TRUE(contains(svg, "<circle cx=\"170.0\" cy=\"300.0\" r=\"4.0\" "
                            "stroke=\"#1f77b4\" stroke-width=\"1.5\" "
                            "fill=\"white\"/>"));
  EXPECT_TRUE(contains(svg, "<line x1=\"80.0\" y1=\"188.0\" x2=\"800.0\" "
                            "y2=\"188.0\""));
  EXPECT_TRUE(contains(svg, ">FP-BN teacher 82.00%</text>"));
  for (const char *label : {">teacher</text>", ">init</text>",
                            ">fine-tune</text>", ">accuracy (%)</text>",
                            ">train loss</text>", ">72</text>", ">90</text>"})
    EXPECT_TRUE(contains(svg, label)) << label;
}

TEST(AccuracyPlot, StageTwoLayersAreLabelled) {
  std::string log = std::string(kTrainingLogHeader) + "\n" +
                    "2,1,1,0.001,1,50,60,float,1,1\n"
                    "2,2,1,0.001,1,50,61,float,1,1\n"
                    "2,0,1,0.001,1,50,62,float,1,1\n";
  auto rows = readTrainingLog(runWithLog("layers", log) + "/log.csv");
  ASSERT_TRUE(rows) << rows.error();
  std::string svg = renderAccuracyPlot(*rows, "a <title> & more");
  for (const char *label : {">L1</text>", ">L2</text>", ">all</text>",
                            ">a &lt;title&gt; &amp; more</text>"})
    EXPECT_TRUE(contains(svg, label)) << label;
  EXPECT_FALSE(contains(svg, "FP-BN teacher ")); // no stage 0 rows
}

TEST(TrainingLog, MalformedFilesNameFileAndLine) {
  struct Case {
    std::string csv, message;
  };
  std::string header = std::string(kTrainingLogHeader) + "\n";
  for (const Case &c : std::vector<Case>{
           {header + "0,0,1,0.1,0.5,50,50,float,1,1\n0,0,2,0.1\n",
            "log.csv:3: expected 10 comma-separated fields"},
           {header + "0,0,1,0.1,abc,50,50,float,1,1\n",
            "log.csv:2: train_loss 'abc' is not a number"},
           {header + "0,0,1.5,0.1,0.5,50,50,float,1,1\n",
            "log.csv:2: epoch '1.5' is not an integer"},
           {header + "0,0,1,0.1,0.5,50,50,fp16,1,1\n",
            "log.csv:2: validation_mode 'fp16' is not 'integer' or 'float'"},
           {"epoch,accuracy\n1,50\n", "log.csv:1: not a qnn-train log"},
       }) {
    std::string dir = runWithLog("malformed", c.csv);
    auto rows = readTrainingLog(dir + "/log.csv");
    ASSERT_FALSE(rows) << c.csv;
    EXPECT_EQ(rows.error().rfind(dir + "/" + c.message, 0), 0u) << rows.error();
    auto plot = writeAccuracyPlot(dir);
    ASSERT_FALSE(plot);
    EXPECT_EQ(plot.error(), rows.error());
  }
  auto missing = writeAccuracyPlot("/nonexistent-run");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error(), "/nonexistent-run/log.csv: cannot read");
  auto empty = writeAccuracyPlot(runWithLog("empty", std::string(kTrainingLogHeader) + "\n"));
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().find("log.csv: no epochs logged yet"), std::string::npos);
}
