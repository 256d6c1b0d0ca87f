/* placeholder: being written */
#include "config.h"
#include "singly-html-text.h"
